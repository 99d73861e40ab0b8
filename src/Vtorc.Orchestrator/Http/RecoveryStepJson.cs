namespace Vtorc.Orchestrator.Http;

/// <summary>One audit step of a recovery in <see cref="RecoveryJson"/>.</summary>
internal sealed record RecoveryStepJson(long RecoveryStepId, DateTimeOffset AuditAt, string Message);
