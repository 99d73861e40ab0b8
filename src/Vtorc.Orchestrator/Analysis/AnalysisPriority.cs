namespace Vtorc.Orchestrator.Analysis;

/// <summary>Urgency of a problem; lower is more urgent. Problems without an explicit priority are Critical (0).</summary>
public enum AnalysisPriority
{
    Critical = 0,
    High = 1,
    Medium = 2,
    Low = 3,
}
