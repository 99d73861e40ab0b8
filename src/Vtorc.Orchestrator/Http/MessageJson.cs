namespace Vtorc.Orchestrator.Http;

/// <summary>The answer of an action of our page that succeeded: <c>{"Message": "what was done"}</c>.</summary>
internal sealed record MessageJson(string Message);
