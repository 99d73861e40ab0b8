namespace Vtorc.Orchestrator.Metrics;

/// <summary>The histograms of one timings stat, per category, with the totals Vitess reports over all categories.</summary>
internal sealed class TimingValues
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Histogram> _categories = new(StringComparer.Ordinal);
    private long _totalCount;
    private long _totalNanoseconds;

    public TimingValues(StatDefinition definition)
    {
        Definition = definition;
        foreach (var category in definition.InitialCategories)
        {
            _categories[category] = new Histogram();
        }
    }

    public StatDefinition Definition { get; }

    public void Observe(string category, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(category);
        // A clock step can make a measured interval negative; it counts as zero rather than corrupting the total.
        long nanoseconds = Math.Max(0, duration.Ticks) * 100;
        int bucket = TimingBuckets.IndexOf(nanoseconds);
        lock (_gate)
        {
            if (!_categories.TryGetValue(category, out var histogram))
            {
                histogram = new Histogram();
                _categories[category] = histogram;
            }
            histogram.Buckets[bucket]++;
            histogram.Count++;
            histogram.TotalNanoseconds += nanoseconds;
            _totalCount++;
            _totalNanoseconds += nanoseconds;
        }
    }

    public TimingsSnapshot Snapshot()
    {
        lock (_gate)
        {
            var categories = _categories
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new TimingCategorySnapshot(p.Key, p.Value.Buckets.ToArray(), p.Value.Count, p.Value.TotalNanoseconds))
                .ToArray();
            return new TimingsSnapshot(_totalCount, _totalNanoseconds, categories);
        }
    }

    private sealed class Histogram
    {
        public long[] Buckets { get; } = new long[TimingBuckets.Count];

        public long Count { get; set; }

        public long TotalNanoseconds { get; set; }
    }
}
