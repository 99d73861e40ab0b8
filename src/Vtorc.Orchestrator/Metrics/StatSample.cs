namespace Vtorc.Orchestrator.Metrics;

/// <summary>The value of a counter or gauge for one label set (values in the order of <see cref="StatDefinition.Labels"/>).</summary>
public sealed record StatSample(IReadOnlyList<string> LabelValues, long Value);
