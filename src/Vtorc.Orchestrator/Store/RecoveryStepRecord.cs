namespace Vtorc.Orchestrator.Store;

/// <summary>One row of <c>topology_recovery_steps</c>: something a recovery did or reported.</summary>
public sealed record RecoveryStepRecord(long RecoveryStepId, long RecoveryId, DateTimeOffset AuditAt, string Message);
