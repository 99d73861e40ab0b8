using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// Builds <see cref="OverviewJson"/> from an analysis of the fleet (the recovery tick's, normally) in one pass:
/// totals, filter choices and problems are gathered while the filter picks shard indices; rows are built for the
/// requested page only, so a 2,500-shard fleet costs one walk and one page of objects. Pure.
/// </summary>
internal static class FleetOverview
{
    public const int MaxProblems = 200;

    /// <param name="activeRecoveries">Recoveries still running (only these are used), to say a problem is being repaired.</param>
    public static OverviewJson Build(FleetAnalysis fleet, IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> outcomes,
        IReadOnlyList<RecoveryRecord> activeRecoveries, FleetFilter filter, FleetContext context)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(activeRecoveries);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(context);
        var snapshots = fleet.Snapshots;
        var results = fleet.Results;
        var running = ActiveByShard(activeRecoveries);
        var keyspaces = new SortedSet<string>(StringComparer.Ordinal);
        var cells = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<ProblemJson>();
        var listedProblem = new List<int>();
        var listedOther = new List<int>();
        int tablets = 0, withProblems = 0, unanalysed = 0, healthyCollapsed = 0, problemCount = 0;

        for (int i = 0; i < snapshots.Count; i++)
        {
            var snapshot = snapshots[i];
            var result = results[i];
            keyspaces.Add(snapshot.Keyspace.Name);
            tablets += snapshot.Tablets.Count;
            foreach (var tablet in snapshot.Tablets)
            {
                cells.Add(tablet.Cell);
            }
            var state = StateOf(result);
            if (state == ShardState.Problem)
            {
                withProblems++;
                foreach (var analysis in result.Analyses)
                {
                    if (analysis.Analysis == AnalysisCodes.NoProblem)
                    {
                        continue;
                    }
                    if (++problemCount <= MaxProblems)
                    {
                        problems.Add(Problem(snapshot, analysis, outcomes, running, fleet.DetectedSince(analysis.AnalyzedInstanceAlias, analysis.Analysis)));
                    }
                }
            }
            else if (state == ShardState.Unanalysed)
            {
                unanalysed++;
            }

            if (!Matches(snapshot, state, filter))
            {
                continue;
            }
            if (state == ShardState.Healthy && !filter.ListsHealthy)
            {
                healthyCollapsed++;
                continue;
            }
            (state == ShardState.Problem ? listedProblem : listedOther).Add(i);
        }

        Comparison<int> byName = (a, b) =>
        {
            int c = string.CompareOrdinal(snapshots[a].Keyspace.Name, snapshots[b].Keyspace.Name);
            return c != 0 ? c : string.CompareOrdinal(snapshots[a].Shard.Shard, snapshots[b].Shard.Shard);
        };
        listedProblem.Sort(byName);
        listedOther.Sort(byName);
        int matching = listedProblem.Count + listedOther.Count;
        int pages = Math.Max(1, (matching + filter.PageSize - 1) / filter.PageSize);
        int page = Math.Min(filter.Page, pages - 1);
        var rows = new List<ShardRowJson>(Math.Min(filter.PageSize, matching));
        for (int k = page * filter.PageSize; k < matching && rows.Count < filter.PageSize; k++)
        {
            int i = k < listedProblem.Count ? listedProblem[k] : listedOther[k - listedProblem.Count];
            rows.Add(Row(snapshots[i], results[i], context.PollErrors));
        }
        problems.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.Keyspace, b.Keyspace);
            c = c != 0 ? c : string.CompareOrdinal(a.Shard, b.Shard);
            return c != 0 ? c : string.CompareOrdinal(a.Alias, b.Alias);
        });

        return new OverviewJson(context.Now, fleet.AnalysedAt, context.DiscoveredOnce, context.GlobalRecoveriesDisabled, context.StoreError, snapshots.Count, tablets,
            withProblems, unanalysed, [.. keyspaces], [.. cells], problems, Math.Max(0, problemCount - MaxProblems), matching, healthyCollapsed,
            page, filter.PageSize, pages, rows);
    }

    public static ShardState StateOf(ShardAnalysisResult result)
    {
        if (result.IsSkipped)
        {
            return ShardState.Unanalysed;
        }
        foreach (var analysis in result.Analyses)
        {
            if (analysis.Analysis != AnalysisCodes.NoProblem)
            {
                return ShardState.Problem;
            }
        }
        return ShardState.Healthy;
    }

    public static string Name(ShardState state) => state switch
    {
        ShardState.Problem => "problem",
        ShardState.Unanalysed => "unanalysed",
        _ => "healthy",
    };

    /// <summary>The running recovery of each shard, by keyspace/shard.</summary>
    public static Dictionary<(string Keyspace, string Shard), RecoveryRecord> ActiveByShard(IReadOnlyList<RecoveryRecord> recoveries)
    {
        var running = new Dictionary<(string, string), RecoveryRecord>();
        foreach (var recovery in recoveries)
        {
            if (recovery.IsActive)
            {
                running.TryAdd((recovery.Keyspace, recovery.Shard), recovery);
            }
        }
        return running;
    }

    public static ProblemJson Problem(ShardSnapshot snapshot, DetectionAnalysis analysis,
        IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> outcomes,
        IReadOnlyDictionary<(string Keyspace, string Shard), RecoveryRecord> running, DateTimeOffset detectedSince)
    {
        var keyspace = snapshot.Keyspace.Name;
        var shard = snapshot.Shard.Shard;
        var (status, text, at, recoveryId) = ProblemStatus.Of(outcomes.GetValueOrDefault((analysis.AnalyzedInstanceAlias, analysis.Analysis)),
            running.GetValueOrDefault((keyspace, shard)));
        return new ProblemJson(keyspace, shard, analysis.AnalyzedInstanceAlias, analysis.Analysis, analysis.Description,
            detectedSince, status, text, at, recoveryId);
    }

    private static bool Matches(ShardSnapshot snapshot, ShardState state, FleetFilter filter)
    {
        if (filter.Keyspace.Length != 0 && !string.Equals(snapshot.Keyspace.Name, filter.Keyspace, StringComparison.Ordinal))
        {
            return false;
        }
        if (filter.State is { } wanted && wanted != state)
        {
            return false;
        }
        bool cellMatches = filter.Cell.Length == 0;
        bool queryMatches = filter.Query.Length == 0
            || $"{snapshot.Keyspace.Name}/{snapshot.Shard.Shard}".Contains(filter.Query, StringComparison.OrdinalIgnoreCase);
        foreach (var tablet in snapshot.Tablets)
        {
            cellMatches |= string.Equals(tablet.Cell, filter.Cell, StringComparison.Ordinal);
            queryMatches |= tablet.Alias.Contains(filter.Query, StringComparison.OrdinalIgnoreCase)
                || tablet.MysqlHostname.Contains(filter.Query, StringComparison.OrdinalIgnoreCase);
        }
        return cellMatches && queryMatches;
    }

    private static ShardRowJson Row(ShardSnapshot snapshot, ShardAnalysisResult result, IReadOnlyDictionary<string, string> pollErrors)
    {
        int reachable = 0;
        var cells = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tablet in snapshot.Tablets)
        {
            cells.Add(tablet.Cell);
            if (snapshot.Observations.TryGetValue(tablet.Alias, out var observation) && observation.LastCheckSucceeded
                && !pollErrors.ContainsKey(tablet.Alias))
            {
                reachable++;
            }
        }
        var codes = result.Analyses.Where(a => a.Analysis != AnalysisCodes.NoProblem).Select(a => a.Analysis).Distinct().ToList();
        return new ShardRowJson(snapshot.Keyspace.Name, snapshot.Shard.Shard, Name(StateOf(result)), snapshot.Shard.PrimaryAlias,
            snapshot.Tablets.Count, reachable, [.. cells], codes, result.IsSkipped ? result.SkipMessage ?? result.SkipReason.ToString() : "");
    }
}
