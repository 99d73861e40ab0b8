namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// One row of the problem table (go/vt/vtorc/inst/analysis_problem.go): the code, what it means, how urgent, whether
/// its recovery acts on the whole shard, which problems it must be ordered before/after, and its condition.
/// </summary>
public sealed class AnalysisProblem
{
    internal AnalysisProblem(string code, string description, AnalysisPriority priority, bool hasShardWideAction,
        Func<TabletFacts, bool> matches, string[]? before = null, string[]? after = null)
    {
        Code = code;
        Description = description;
        Priority = priority;
        HasShardWideAction = hasShardWideAction;
        Matches = matches;
        Before = before ?? [];
        After = after ?? [];
        AsMatched = new MatchedProblem(code, description, hasShardWideAction, priority);
    }

    public string Code { get; }

    public string Description { get; }

    /// <summary>The explicit priority (Critical when the table gives none).</summary>
    public AnalysisPriority Priority { get; }

    public bool HasShardWideAction { get; }

    /// <summary>Priority used for ordering: a shard-wide action always counts as Critical.</summary>
    public AnalysisPriority EffectivePriority => HasShardWideAction ? AnalysisPriority.Critical : Priority;

    /// <summary>Codes this problem must be ordered before.</summary>
    public IReadOnlyList<string> Before { get; }

    /// <summary>Codes this problem must be ordered after.</summary>
    public IReadOnlyList<string> After { get; }

    /// <summary>Shard-wide, or ordered relative to another problem: the recovery scheduler runs it in order
    /// (CheckAndRecover in go/vt/vtorc/logic/topology_recovery.go).</summary>
    public bool RequiresOrderedExecution => HasShardWideAction || Before.Count > 0 || After.Count > 0;

    internal Func<TabletFacts, bool> Matches { get; }

    internal MatchedProblem AsMatched { get; }

    public override string ToString() => Code;
}
