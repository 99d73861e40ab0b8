namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// The current value of one stat: <see cref="Samples"/> (sorted by label values) for counters and gauges,
/// <see cref="Timings"/> for timings.
/// </summary>
public sealed record StatSnapshot(StatDefinition Definition, IReadOnlyList<StatSample> Samples, TimingsSnapshot? Timings)
{
    /// <summary>The value for the given label values, or null when that label set is absent.</summary>
    public long? ValueOf(params string[] labelValues) =>
        Samples.FirstOrDefault(s => s.LabelValues.SequenceEqual(labelValues, StringComparer.Ordinal))?.Value;
}
