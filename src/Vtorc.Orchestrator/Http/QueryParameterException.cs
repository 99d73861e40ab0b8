namespace Vtorc.Orchestrator.Http;

/// <summary>A query parameter is missing or malformed; answered with 400 and this message (which names the parameter).</summary>
internal sealed class QueryParameterException(string message) : Exception(message);
