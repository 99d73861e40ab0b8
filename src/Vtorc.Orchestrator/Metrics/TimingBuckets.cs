namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// The bucket upper bounds of every Vitess <c>stats.Timings</c> histogram: 0.5 ms … 10 s, plus an overflow bucket
/// (labelled <c>inf</c> in expvar, <c>+Inf</c> in Prometheus). A duration lands in the first bucket whose bound it does
/// not exceed.
/// </summary>
internal static class TimingBuckets
{
    /// <summary>Upper bounds in nanoseconds.</summary>
    public static IReadOnlyList<long> UpperBoundsNanoseconds { get; } =
        [500_000, 1_000_000, 5_000_000, 10_000_000, 50_000_000, 100_000_000, 500_000_000, 1_000_000_000, 5_000_000_000, 10_000_000_000];

    /// <summary>Upper bounds in seconds (the Prometheus <c>le</c> values).</summary>
    public static IReadOnlyList<double> UpperBoundsSeconds { get; } = UpperBoundsNanoseconds.Select(n => n / 1e9).ToArray();

    /// <summary>Number of buckets including the overflow bucket.</summary>
    public static int Count => UpperBoundsNanoseconds.Count + 1;

    /// <summary>The bucket index of a duration; <see cref="Count"/> − 1 is the overflow bucket.</summary>
    public static int IndexOf(long nanoseconds)
    {
        for (int i = 0; i < UpperBoundsNanoseconds.Count; i++)
        {
            if (nanoseconds <= UpperBoundsNanoseconds[i])
            {
                return i;
            }
        }
        return UpperBoundsNanoseconds.Count;
    }
}
