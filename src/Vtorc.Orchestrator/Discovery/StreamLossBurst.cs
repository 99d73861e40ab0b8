namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Tells a lost tablet from a daemon that cannot keep up (docs/reliability.md, "Push detection"): when many health
/// streams are lost (silent, ended, failed) within a short window, the likelier cause is on this side — the daemon
/// starved of CPU or paused, its host or its network — and reacting to each loss with an immediate look at the shard
/// would pile polls onto the overloaded daemon, make more streams fall silent, and count polls that were merely late as
/// failures. Within a burst, losses are left to the regular polls, which detect a real mass failure within a poll
/// interval and a poll deadline. Not thread-safe by itself: the listener serialises calls. Time is an argument.
/// </summary>
public sealed class StreamLossBurst(TimeSpan window, int minimum, double fraction)
{
    private readonly Queue<DateTimeOffset> _losses = new();

    /// <summary>Whether a burst is in progress (as of the last <see cref="Admit"/>).</summary>
    public bool InBurst { get; private set; }

    /// <summary>Losses left to the polls since the current or last burst began.</summary>
    public int Suppressed { get; private set; }

    /// <summary>Losses within the window that make a burst, out of <paramref name="streams"/> subscriptions.</summary>
    public int Threshold(int streams) => Math.Max(minimum, (int)Math.Ceiling(fraction * Math.Max(0, streams)));

    /// <summary>Records one lost stream at <paramref name="now"/>.</summary>
    /// <returns>True when the loss deserves an immediate look; false within a burst.</returns>
    public bool Admit(DateTimeOffset now, int streams)
    {
        while (_losses.Count > 0 && now - _losses.Peek() > window)
        {
            _losses.Dequeue();
        }
        _losses.Enqueue(now);
        bool burst = _losses.Count >= Threshold(streams);
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

    /// <summary>Whether the burst is over at <paramref name="now"/> (fewer losses than the threshold in the window).</summary>
    public bool Calmed(DateTimeOffset now, int streams)
    {
        while (_losses.Count > 0 && now - _losses.Peek() > window)
        {
            _losses.Dequeue();
        }
        if (InBurst && _losses.Count < Threshold(streams))
        {
            InBurst = false;
            return true;
        }
        return false;
    }
}
