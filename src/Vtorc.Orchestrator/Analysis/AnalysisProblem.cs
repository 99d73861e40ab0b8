namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// One row of the problem table (go/vt/vtorc/inst/analysis_problem.go): the code, what it means, how urgent, whether
/// its recovery acts on the whole shard, which problems it must be ordered before/after, and its condition.
/// </summary>
internal sealed class AnalysisProblem
{
    internal AnalysisProblem(string code, string description, AnalysisPriority priority,
        Func<TabletFacts, bool> matches, string[]? before = null, string[]? after = null)
    {
        Code = code;
        Description = description;
        Priority = priority;
        HasShardWideAction = priority == AnalysisPriority.ShardWideAction;
        Matches = matches;
        Before = before ?? [];
        After = after ?? [];
        AsMatched = new MatchedProblem(code, description, HasShardWideAction, priority);
    }

    public string Code { get; }

    public string Description { get; }

    /// <summary>The priority the ordering compares (and the API reports).</summary>
    public AnalysisPriority Priority { get; }

    /// <summary>Its recovery acts on the whole shard: the problems with priority <see cref="AnalysisPriority.ShardWideAction"/>.</summary>
    public bool HasShardWideAction { get; }

    /// <summary>Codes this problem must be ordered before.</summary>
    public IReadOnlyList<string> Before { get; }

    /// <summary>Codes this problem must be ordered after.</summary>
    public IReadOnlyList<string> After { get; }

    /// <summary>Shard-wide, or ordered relative to another problem (its own lists, or named in another problem's): the
    /// recovery scheduler runs it in order (CheckAndRecover in go/vt/vtorc/logic/topology_recovery.go).</summary>
    public bool RequiresOrderedExecution => HasShardWideAction || Before.Count > 0 || After.Count > 0 || IsNamedByAnother;

    /// <summary>Set once the table is built: another problem lists this one as before/after.</summary>
    internal bool IsNamedByAnother { get; set; }

    internal Func<TabletFacts, bool> Matches { get; }

    internal MatchedProblem AsMatched { get; }

    public override string ToString() => Code;
}
