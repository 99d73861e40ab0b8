namespace Vtorc.Orchestrator.Analysis;

/// <summary>One poll of a PRIMARY tablet: when it ended and whether FullStatus answered (go/vt/vtorc/inst/primary_health.go).</summary>
public readonly record struct PrimaryHealthEvent(DateTimeOffset At, bool Success);
