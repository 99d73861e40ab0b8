using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// The gap between consecutive FullStatus calls to the same tablet, as the simulator sees them. With one orchestrator
/// the gaps are per tablet. With several, a call does not say which instance made it, but each instance keeps one
/// HTTP/2 connection per tablet: the gaps are then per connection, i.e. per tablet and instance (a reconnection starts
/// afresh, so a gap that spans one is not counted). Gaps are counted in 1 ms buckets while <see cref="Recording"/> is
/// on; the largest gap is kept exactly.
/// </summary>
internal sealed class PollAgeRecorder(int tablets, bool perConnection)
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _lastPollOfConnection = new(StringComparer.Ordinal);

    private const int Buckets = 120_000;

    private readonly long[] _lastPoll = new long[tablets];
    private readonly long[] _counts = new long[Buckets + 1];
    private readonly long[] _pollsPerTablet = new long[tablets];
    private long _maxTicks;

    public volatile bool Recording;

    public bool PerConnection => perConnection;

    public void Polled(int tablet, string connectionId)
    {
        long now = Stopwatch.GetTimestamp();
        long previous = Interlocked.Exchange(ref _lastPoll[tablet], now);
        if (perConnection)
        {
            previous = Interlocked.Exchange(ref _lastPollOfConnection.GetOrAdd(connectionId, _ => new StrongBox<long>()).Value, now);
        }
        if (!Recording || previous == 0)
        {
            return;
        }
        Interlocked.Increment(ref _pollsPerTablet[tablet]);
        long gap = now - previous;
        long ms = gap * 1000 / Stopwatch.Frequency;
        Interlocked.Increment(ref _counts[Math.Min(ms, Buckets)]);
        long max;
        while (gap > (max = Interlocked.Read(ref _maxTicks)) && Interlocked.CompareExchange(ref _maxTicks, gap, max) != max)
        {
        }
    }

    /// <summary>Tablets never polled since the start.</summary>
    public int NeverPolled => _lastPoll.Count(t => t == 0);

    /// <summary>Tablets not polled since <paramref name="ageMs"/> ago (stale now), e.g. dead ones excluded by the caller.</summary>
    public int NotPolledWithin(double ageMs, Func<int, bool> include)
    {
        long now = Stopwatch.GetTimestamp();
        long limit = (long)(ageMs * Stopwatch.Frequency / 1000);
        int stale = 0;
        for (int i = 0; i < _lastPoll.Length; i++)
        {
            if (include(i) && now - Interlocked.Read(ref _lastPoll[i]) > limit)
            {
                stale++;
            }
        }
        return stale;
    }

    public long Gaps => _counts.Sum();

    public double MaxMs => Interlocked.Read(ref _maxTicks) * 1000.0 / Stopwatch.Frequency;

    /// <summary>The gap at quantile <paramref name="q"/> in ms (bucket upper bound), or NaN without gaps.</summary>
    public double PercentileMs(double q)
    {
        long total = Gaps;
        if (total == 0)
        {
            return double.NaN;
        }
        long rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (int ms = 0; ms <= Buckets; ms++)
        {
            seen += _counts[ms];
            if (seen >= rank)
            {
                return ms + 1;
            }
        }
        return Buckets;
    }
}
