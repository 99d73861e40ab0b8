namespace Vtorc.Orchestrator.Store;

/// <summary>An operator's "I have looked at this recovery" (our anti-flapping guard reads it).</summary>
public sealed record RecoveryAcknowledgement(long RecoveryId, string AcknowledgedBy, string Comment, DateTimeOffset AcknowledgedAt);
