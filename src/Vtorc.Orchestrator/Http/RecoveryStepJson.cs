namespace Vtorc.Orchestrator.Http;

/// <summary>One audit step of a recovery in <see cref="RecoveryJson"/>.</summary>
public sealed record RecoveryStepJson(long RecoveryStepId, DateTimeOffset AuditAt, string Message);
