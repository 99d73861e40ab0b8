namespace Vtorc.Reparent.Operations;

/// <summary>
/// Collects the events of one operation and passes each to the caller's <see cref="IProgress{T}"/> at once, on the
/// thread that emitted it (use a synchronous progress implementation to keep the order, not
/// <see cref="Progress{T}"/>, which posts). Thread-safe: per-tablet steps emit concurrently.
/// </summary>
internal sealed class ReparentEventLog
{
    private readonly Lock _gate = new();
    private readonly List<ReparentEvent> _events = [];
    private readonly IProgress<ReparentEvent>? _progress;
    private readonly TimeProvider _time;

    public ReparentEventLog(IProgress<ReparentEvent>? progress, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _progress = progress;
        _time = time;
    }

    /// <summary>The events so far, oldest first.</summary>
    public IReadOnlyList<ReparentEvent> Snapshot()
    {
        lock (_gate)
        {
            return _events.ToArray();
        }
    }

    public ReparentEvent Emit(ReparentPhase phase, ReparentEventKind kind, string message, string? tabletAlias = null)
    {
        var e = new ReparentEvent(_time.GetUtcNow(), phase, kind, message, tabletAlias);
        lock (_gate)
        {
            _events.Add(e);
        }
        _progress?.Report(e);
        return e;
    }

    public void Rejections(ReparentPhase phase, IEnumerable<CandidateRejection> rejections, string prefix = "rejected")
    {
        foreach (var r in rejections)
        {
            Emit(phase, ReparentEventKind.CandidateRejected, $"{prefix} {r.Alias}: {r.Reason}", r.Alias);
        }
    }
}
