namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The newest <see cref="FleetAnalysis"/> the recovery tick made. The tick is its only writer; readers (the operator
/// page's endpoints and live feed) take whichever is current without a lock.
/// </summary>
internal sealed class LatestFleetAnalysis
{
    private volatile FleetAnalysis? _current;

    /// <summary>Null until the first tick.</summary>
    public FleetAnalysis? Current => _current;

    /// <summary>The least age past which <see cref="RecentAt"/> no longer answers (several ticks at the default period).</summary>
    public static readonly TimeSpan MinimumStaleAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The current analysis if the tick made it recently enough to show as the present: within three tick periods (at
    /// least <see cref="MinimumStaleAfter"/>) of <paramref name="now"/>. Null before the first tick and while the tick is
    /// stuck (on a slow history store, say): the reader should analyse now rather than show an old picture.
    /// </summary>
    public FleetAnalysis? RecentAt(DateTimeOffset now, TimeSpan tickPeriod)
    {
        var current = _current;
        var staleAfter = tickPeriod * 3 > MinimumStaleAfter ? tickPeriod * 3 : MinimumStaleAfter;
        return current is not null && now - current.AnalysedAt <= staleAfter ? current : null;
    }

    /// <summary>Makes the analysis that follows the current one the current one, and returns it.</summary>
    public FleetAnalysis Publish(IReadOnlyList<ShardSnapshot> snapshots, IReadOnlyList<ShardAnalysisResult> results, DateTimeOffset analysedAt)
    {
        var next = FleetAnalysis.Following(_current, snapshots, results, analysedAt);
        _current = next;
        return next;
    }
}
