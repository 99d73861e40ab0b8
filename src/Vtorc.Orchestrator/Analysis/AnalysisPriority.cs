namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Urgency of a problem; lower is more urgent. The levels and their numbers are those of go/vt/vtorc/inst/analysis_problem.go
/// (v24 and later, also v23.0.4+): a dedicated level for problems whose recovery acts on the whole shard, ahead of
/// Critical. The API reports the number.
/// </summary>
public enum AnalysisPriority
{
    ShardWideAction = 0,
    Critical = 1,
    High = 2,
    Medium = 3,
    Low = 4,
}
