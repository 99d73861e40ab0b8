namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The rolling window of a primary's recent polls behind IncapacitatedPrimary (go/vt/vtorc/inst/primary_health.go,
/// Vitess v24): every poll of a tablet recorded as PRIMARY adds a success or a failure; events older than the window
/// drop out. The window turns unhealthy when it holds at least <see cref="MinFailures"/> failures and more failures
/// than successes, and stays unhealthy until it holds no failure and at least one success, or nothing at all. That
/// hysteresis is why the flag is kept with the events (and written to snapshots): the events alone do not say it.
/// Immutable; time is always an argument.
/// </summary>
public sealed class PrimaryHealthWindow : IEquatable<PrimaryHealthWindow>
{
    /// <summary>Failures in the window needed to turn unhealthy (and they must outnumber the successes).</summary>
    public const int MinFailures = 3;

    /// <summary>The window is this many times <c>--remote-operation-timeout</c> (VTOrc has no flag of its own for it).</summary>
    public const int RemoteOperationTimeouts = 5;

    private readonly PrimaryHealthEvent[] _events;

    public PrimaryHealthWindow(IEnumerable<PrimaryHealthEvent> events, bool unhealthy)
        : this(unhealthy, SortedByTime(events))
    {
    }

    /// <param name="sortedEvents">Oldest first; kept as it is (not copied).</param>
    private PrimaryHealthWindow(bool unhealthy, PrimaryHealthEvent[] sortedEvents)
    {
        _events = sortedEvents;
        Unhealthy = unhealthy;
    }

    private static PrimaryHealthEvent[] SortedByTime(IEnumerable<PrimaryHealthEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return [.. events.OrderBy(e => e.At)];
    }

    public static PrimaryHealthWindow Empty { get; } = new([], false);

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<PrimaryHealthEvent> Events => _events;

    /// <summary>The state as of the last update (see <see cref="At"/> for the state at a given time).</summary>
    public bool Unhealthy { get; }

    public bool IsEmpty => _events.Length == 0 && !Unhealthy;

    /// <summary>The window length for a <c>--remote-operation-timeout</c>.</summary>
    public static TimeSpan LengthFor(TimeSpan remoteOperationTimeout) => remoteOperationTimeout * RemoteOperationTimeouts;

    /// <summary>Adds one poll's outcome at <paramref name="at"/> and updates the state.</summary>
    /// <remarks>Called on every poll of every primary: one array per call (events arrive in time order; one that does not
    /// is sorted in).</remarks>
    public PrimaryHealthWindow Record(DateTimeOffset at, bool success, TimeSpan length)
    {
        if (length <= TimeSpan.Zero)
        {
            return Empty;
        }
        int first = FirstWithin(at, length);
        var kept = new PrimaryHealthEvent[_events.Length - first + 1];
        Array.Copy(_events, first, kept, 0, _events.Length - first);
        kept[^1] = new PrimaryHealthEvent(at, success);
        if (kept.Length > 1 && kept[^2].At > at)
        {
            Array.Sort(kept, static (a, b) => a.At.CompareTo(b.At));
        }
        return Evaluated(kept);
    }

    /// <summary>The window as of <paramref name="now"/>: expired events dropped, the state updated.</summary>
    public PrimaryHealthWindow At(DateTimeOffset now, TimeSpan length)
    {
        if (length <= TimeSpan.Zero)
        {
            return Empty;
        }
        int first = FirstWithin(now, length);
        var window = first == 0 ? this : new PrimaryHealthWindow(Unhealthy, _events[first..]);
        return window.Evaluated(window._events);
    }

    /// <summary>The index of the oldest event not older than <paramref name="length"/> at <paramref name="now"/>.</summary>
    private int FirstWithin(DateTimeOffset now, TimeSpan length)
    {
        int first = 0;
        while (first < _events.Length && now - _events[first].At > length)
        {
            first++;
        }
        return first;
    }

    /// <summary>The window holding <paramref name="kept"/> (all within the length, sorted), its state updated.</summary>
    private PrimaryHealthWindow Evaluated(PrimaryHealthEvent[] kept)
    {
        int failures = 0;
        foreach (var e in kept)
        {
            if (!e.Success)
            {
                failures++;
            }
        }
        int successes = kept.Length - failures;
        bool unhealthy = kept.Length != 0 && (Unhealthy
            ? !(failures == 0 && successes > 0)
            : failures >= MinFailures && failures > successes);
        return ReferenceEquals(kept, _events) && unhealthy == Unhealthy ? this : new PrimaryHealthWindow(unhealthy, kept);
    }

    /// <summary>Whether the primary counts as incapacitated at <paramref name="now"/>.</summary>
    public bool IsUnhealthyAt(DateTimeOffset now, TimeSpan length) => At(now, length).Unhealthy;

    public bool Equals(PrimaryHealthWindow? other) =>
        other is not null && Unhealthy == other.Unhealthy && _events.AsSpan().SequenceEqual(other._events);

    public override bool Equals(object? obj) => Equals(obj as PrimaryHealthWindow);

    public override int GetHashCode() => HashCode.Combine(Unhealthy, _events.Length, _events.Length == 0 ? default : _events[^1]);

    public override string ToString() =>
        $"{(Unhealthy ? "unhealthy" : "healthy")}, {_events.Count(e => !e.Success)} failure(s) and {_events.Count(e => e.Success)} success(es)";
}
