namespace Vtorc.LocalCluster;

/// <summary>A tablet agent process exited or did not become ready; the message carries the tail of its log.</summary>
internal sealed class AgentStartException(string message) : Exception(message);
