namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// One analysis of the whole fleet: the snapshots it read, their results in the same order, when it ran, and since
/// when each of its problems has been detected without a break. The recovery tick makes one each tick
/// (<see cref="LatestFleetAnalysis"/>), so the operator page reads what the tick decided on instead of analysing the
/// fleet again for every request (docs/ui.md, "Where the page's data comes from"). Immutable; pure.
/// </summary>
public sealed class FleetAnalysis
{
    private readonly Dictionary<(string Alias, string Analysis), DateTimeOffset> _since;

    private FleetAnalysis(IReadOnlyList<ShardSnapshot> snapshots, IReadOnlyList<ShardAnalysisResult> results, DateTimeOffset analysedAt,
        Dictionary<(string Alias, string Analysis), DateTimeOffset> since)
    {
        Snapshots = snapshots;
        Results = results;
        AnalysedAt = analysedAt;
        _since = since;
    }

    public IReadOnlyList<ShardSnapshot> Snapshots { get; }

    /// <summary>The analysis of each of <see cref="Snapshots"/>, in the same order.</summary>
    public IReadOnlyList<ShardAnalysisResult> Results { get; }

    public DateTimeOffset AnalysedAt { get; }

    /// <summary>
    /// Since when (<paramref name="alias"/>, <paramref name="analysis"/>) has been found at every analysis up to this
    /// one; <see cref="AnalysedAt"/> for a problem this analysis did not find (a shard analysed again on its own).
    /// </summary>
    public DateTimeOffset DetectedSince(string alias, string analysis) => _since.GetValueOrDefault((alias, analysis), AnalysedAt);

    /// <summary>
    /// The analysis that follows <paramref name="previous"/> (null: the first of this process): a problem
    /// <paramref name="previous"/> also found keeps its time; a new one, or one that went away in between, starts at
    /// <paramref name="analysedAt"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The results do not match the snapshots one for one.</exception>
    public static FleetAnalysis Following(FleetAnalysis? previous, IReadOnlyList<ShardSnapshot> snapshots, IReadOnlyList<ShardAnalysisResult> results,
        DateTimeOffset analysedAt)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count != snapshots.Count)
        {
            throw new ArgumentException($"{results.Count} analysis results for {snapshots.Count} snapshots", nameof(results));
        }
        var since = new Dictionary<(string Alias, string Analysis), DateTimeOffset>();
        foreach (var result in results)
        {
            foreach (var analysis in result.Analyses)
            {
                if (analysis.Analysis == AnalysisCodes.NoProblem)
                {
                    continue;
                }
                var key = (analysis.AnalyzedInstanceAlias, analysis.Analysis);
                since[key] = previous is not null && previous._since.TryGetValue(key, out var first) ? first : analysedAt;
            }
        }
        return new FleetAnalysis(snapshots, results, analysedAt, since);
    }
}
