namespace Vtorc.Orchestrator.Metrics;

/// <summary>A timings stat: totals over all categories and each category's histogram (sorted by category).</summary>
public sealed record TimingsSnapshot(long TotalCount, long TotalNanoseconds, IReadOnlyList<TimingCategorySnapshot> Categories);
