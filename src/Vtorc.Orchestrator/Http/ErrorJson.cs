namespace Vtorc.Orchestrator.Http;

/// <summary>The error answer of our page's endpoints: <c>{"Error": "…"}</c>.</summary>
internal sealed record ErrorJson(string Error);
