namespace Vtorc.Orchestrator.Http;

/// <summary>An action cannot be done now (the shard is locked, the daemon is stopping, the reparent refused); answered
/// with 409 and this message, which says why.</summary>
internal sealed class ActionConflictException(string message, Exception? inner = null) : Exception(message, inner);
