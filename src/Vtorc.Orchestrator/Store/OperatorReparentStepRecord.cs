namespace Vtorc.Orchestrator.Store;

/// <summary>One row of <c>operator_reparent_steps</c>: a step an operator's reparent reported, at the time it happened.</summary>
public sealed record OperatorReparentStepRecord(long StepId, long ReparentId, DateTimeOffset AuditAt, string Message);
