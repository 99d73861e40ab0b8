namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Tells a silent tablet from a daemon that cannot keep up (docs/reliability.md, "Push detection"): when many health
/// streams fall silent within a short window, the likelier cause is on this side — the daemon starved of CPU or paused,
/// its host or its network — and reacting to each with an immediate look at the shard would pile polls onto the
/// overloaded daemon, make more streams fall silent, and count polls that were merely late as failures. Within a burst,
/// silent streams are left to the regular polls, which detect a real mass failure within a poll interval and a poll
/// deadline. Not thread-safe by itself: the listener serialises calls. Time is an argument.
/// </summary>
internal sealed class SilentStreamBurst(TimeSpan window, int minimum, double fraction)
{
    private readonly Queue<DateTimeOffset> _silences = new();

    /// <summary>Whether a burst is in progress (as of the last <see cref="Admit"/>).</summary>
    public bool InBurst { get; private set; }

    /// <summary>Silences left to the polls since the current or last burst began.</summary>
    public int Suppressed { get; private set; }

    /// <summary>Silences within the window that make a burst, out of <paramref name="streams"/> subscriptions.</summary>
    public int Threshold(int streams) => Math.Max(minimum, (int)Math.Ceiling(fraction * Math.Max(0, streams)));

    /// <summary>Records one silent stream at <paramref name="now"/>.</summary>
    /// <returns>True when the silence deserves an immediate look; false within a burst.</returns>
    public bool Admit(DateTimeOffset now, int streams)
    {
        Expire(now);
        _silences.Enqueue(now);
        bool burst = _silences.Count >= Threshold(streams);
        if (burst && !InBurst)
        {
            Suppressed = 0;
        }
        InBurst = burst;
        if (burst)
        {
            Suppressed++;
        }
        return !burst;
    }

    /// <summary>Whether the burst is over at <paramref name="now"/> (fewer silences than the threshold in the window).</summary>
    public bool Calmed(DateTimeOffset now, int streams)
    {
        Expire(now);
        if (InBurst && _silences.Count < Threshold(streams))
        {
            InBurst = false;
            return true;
        }
        return false;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_silences.Count > 0 && now - _silences.Peek() > window)
        {
            _silences.Dequeue();
        }
    }
}
