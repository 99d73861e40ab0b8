namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// One category of a timings stat (e.g. <c>Lock</c>): per-bucket counts (not cumulative, aligned with
/// <see cref="TimingBuckets"/>, last = overflow), the number of observations and their total in nanoseconds.
/// </summary>
public sealed record TimingCategorySnapshot(string Category, IReadOnlyList<long> BucketCounts, long Count, long TotalNanoseconds);
