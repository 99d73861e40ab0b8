namespace Vtorc.Reparent.Decisions;

/// <summary>ERS may continue after stopping replication, and why.</summary>
public sealed record StopReplicationVerdict(StopReplicationAcceptance Acceptance, string Explanation);
