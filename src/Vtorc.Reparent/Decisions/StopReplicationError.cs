namespace Vtorc.Reparent.Decisions;

/// <summary>A tablet whose StopReplicationAndGetStatus (or the forced DemotePrimary after it) failed during ERS.</summary>
public sealed record StopReplicationError(string Alias, string Message);
