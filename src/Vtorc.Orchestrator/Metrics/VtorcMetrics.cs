using System.Diagnostics;
using System.Diagnostics.Metrics;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// VTOrc's stats (see <see cref="VtorcStats"/>). Keeps the current values itself, so
/// <see cref="PrometheusTextFormatter"/> and <see cref="ExpvarJsonFormatter"/> render from <see cref="Snapshot()"/>
/// without a listener, and also publishes every stat as an instrument of its own <see cref="Meter"/> (named
/// <see cref="MeterName"/>; counters as <see cref="Counter{T}"/>, gauges as <see cref="ObservableGauge{T}"/>, timings
/// as a <see cref="Histogram{T}"/> in seconds) for a <see cref="MeterListener"/> or OpenTelemetry. Instrument names are
/// the Vitess stat names, tags carry the Vitess label names. One instance per daemon; thread-safe.
/// </summary>
public sealed class VtorcMetrics : IRecoveryMetrics, IDiscoveryMetrics, IHealthStreamMetrics, IDisposable
{
    public const string MeterName = "Vtorc";

    private readonly Dictionary<StatDefinition, LabeledValues> _values = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<StatDefinition, TimingValues> _timings = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<StatDefinition, Counter<long>> _counters = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<StatDefinition, Histogram<double>> _histograms = new(ReferenceEqualityComparer.Instance);

    public VtorcMetrics()
    {
        Meter = new Meter(MeterName);
        foreach (var stat in VtorcStats.All)
        {
            switch (stat.Kind)
            {
                case StatKind.Counter:
                    _values[stat] = new LabeledValues(stat);
                    _counters[stat] = Meter.CreateCounter<long>(stat.Name, unit: null, description: stat.Help);
                    break;
                case StatKind.Gauge:
                    var store = new LabeledValues(stat);
                    _values[stat] = store;
                    Meter.CreateObservableGauge(stat.Name, () => Observe(store), unit: null, description: stat.Help);
                    break;
                case StatKind.Timings:
                    _timings[stat] = new TimingValues(stat);
                    _histograms[stat] = Meter.CreateHistogram(stat.Name, unit: "s", description: stat.Help, tags: null,
                        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TimingBuckets.UpperBoundsSeconds });
                    break;
                default:
                    throw new InvalidOperationException($"Stat \"{stat.Name}\" has an unknown kind {stat.Kind}.");
            }
        }
    }

    /// <summary>The meter publishing the instruments; disposed with this object.</summary>
    public Meter Meter { get; }

    /// <summary>The current value of every stat of <see cref="VtorcStats.All"/>, sorted by name.</summary>
    public IReadOnlyList<StatSnapshot> Snapshot() => VtorcStats.All.Select(Snapshot).ToArray();

    /// <summary>The current value of one stat (one of <see cref="VtorcStats"/>).</summary>
    public StatSnapshot Snapshot(StatDefinition stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        if (_timings.TryGetValue(stat, out var timings))
        {
            return new StatSnapshot(stat, [], timings.Snapshot());
        }
        if (_values.TryGetValue(stat, out var values))
        {
            return new StatSnapshot(stat, values.Samples(), null);
        }
        throw new ArgumentException($"\"{stat.Name}\" is not one of the VTOrc stats (use VtorcStats).", nameof(stat));
    }

    // IRecoveryMetrics

    public void AddPendingRecoveries(int delta) => AddToGauge(VtorcStats.PendingRecoveries, delta);

    public void AddShardLocksActive(int delta) => AddToGauge(VtorcStats.ShardLocksActive, delta);

    public void ObserveShardLockTiming(string action, TimeSpan duration) => ObserveTiming(VtorcStats.ShardLockTimings, action, duration);

    public void CountRecovery(RecoveryMetricLabels labels) =>
        Count(VtorcStats.RecoveriesCount, labels.RecoveryType, labels.Keyspace, labels.Shard);

    public void CountSuccessfulRecovery(RecoveryMetricLabels labels) =>
        Count(VtorcStats.SuccessfulRecoveries, labels.RecoveryType, labels.Keyspace, labels.Shard);

    public void CountFailedRecovery(RecoveryMetricLabels labels) =>
        Count(VtorcStats.FailedRecoveries, labels.RecoveryType, labels.Keyspace, labels.Shard);

    public void CountSkippedRecovery(RecoveryMetricLabels labels, RecoverySkipReason reason) =>
        Count(VtorcStats.SkippedRecoveries, labels.RecoveryType, labels.Keyspace, labels.Shard, reason.ToString());

    public void SetDetectedProblems(IReadOnlyCollection<DetectedProblemLabels> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var store = _values[VtorcStats.DetectedProblems];
        store.ReplaceAll(current.Select(p =>
            KeyValuePair.Create(store.Labels(p.Analysis, p.TabletAlias, p.Keyspace, p.Shard), 1L)));
    }

    // IDiscoveryMetrics

    public void CountDiscoveryAttempt() => Count(VtorcStats.DiscoveriesAttempt);

    public void CountDiscoveryFailure() => Count(VtorcStats.DiscoveriesFail);

    public void CountInstancePollSecondsExceeded() => Count(VtorcStats.DiscoveriesInstancePollSecondsExceeded);

    public void CountInstanceReadTopology() => Count(VtorcStats.InstanceReadTopology);

    public void ObserveInstanceTiming(string action, TimeSpan duration) => ObserveTiming(VtorcStats.DiscoveryInstanceTimings, action, duration);

    public void SetQueueLength(int length) => SetGauge(VtorcStats.DiscoveriesQueueLength, length);

    public void SetWorkers(int count) => SetGauge(VtorcStats.DiscoveryWorkers, count);

    public void SetWorkersActive(int count) => SetGauge(VtorcStats.DiscoveryWorkersActive, count);

    public void SetTabletsWatchedByCell(string cell, int count) => SetGauge(VtorcStats.TabletsWatchedByCell, count, cell);

    // Stats outside the two interfaces

    /// <summary><c>InstanceRead</c> +1 (a stored instance was read).</summary>
    public void CountInstanceRead() => Count(VtorcStats.InstanceRead);

    /// <summary><c>AnalysisChangeWrite</c> +1 (an analysis changelog row was written).</summary>
    public void CountAnalysisChangeWrite(long count = 1) => CountBy(VtorcStats.AnalysisChangeWrite, count);

    /// <summary><c>AuditWrite</c> +1 (an audit record was written).</summary>
    public void CountAuditWrite(long count = 1) => CountBy(VtorcStats.AuditWrite, count);

    /// <summary>One analysis pass took <paramref name="duration"/>: <c>AnalysisPassTimings</c> and <c>AnalysisPassLastMicroseconds</c>.</summary>
    public void ObserveAnalysisPass(TimeSpan duration)
    {
        ObserveTiming(VtorcStats.AnalysisPassTimings, "Pass", duration);
        SetGauge(VtorcStats.AnalysisPassLastMicroseconds, (long)Math.Max(0, duration.TotalMicroseconds));
    }

    /// <summary><c>DiscoveriesRecentCount</c>: the size of the recent-discovery cache.</summary>
    public void AddHealthStreamsConnected(int delta) => AddToGauge(VtorcStats.HealthStreamsConnected, delta);

    public void CountHealthStreamSignal() => Count(VtorcStats.HealthStreamSignals);

    public void CountHealthStreamSignalLeftToPolls() => Count(VtorcStats.HealthStreamSignalsLeftToPolls);

    public void SetDiscoveriesRecentCount(int count) => SetGauge(VtorcStats.DiscoveriesRecentCount, count);

    /// <summary>
    /// <c>CurrentErrantGTIDCount{TabletAlias}</c> becomes exactly <paramref name="byAlias"/> (other tablets disappear);
    /// <c>ErrantGtidTabletCount</c> becomes the number of tablets with a count above zero.
    /// </summary>
    public void SetErrantGtidCounts(IReadOnlyDictionary<string, int> byAlias)
    {
        ArgumentNullException.ThrowIfNull(byAlias);
        var store = _values[VtorcStats.CurrentErrantGtidCount];
        store.ReplaceAll(byAlias.Select(p => KeyValuePair.Create(store.Labels(p.Key), (long)p.Value)));
        SetGauge(VtorcStats.ErrantGtidTabletCount, byAlias.Count(p => p.Value > 0));
    }

    /// <summary><c>TabletsWatchedByShard{Keyspace, Shard}</c> becomes exactly <paramref name="byShard"/>.</summary>
    public void SetTabletsWatchedByShard(IReadOnlyDictionary<(string Keyspace, string Shard), int> byShard)
    {
        ArgumentNullException.ThrowIfNull(byShard);
        var store = _values[VtorcStats.TabletsWatchedByShard];
        store.ReplaceAll(byShard.Select(p => KeyValuePair.Create(store.Labels(p.Key.Keyspace, p.Key.Shard), (long)p.Value)));
    }

    /// <summary><c>EmergencyReparentShardDisabled{Keyspace, Shard}</c>: 1 for each of <paramref name="disabled"/>, nothing for other shards.</summary>
    public void SetEmergencyReparentShardDisabled(IReadOnlyCollection<(string Keyspace, string Shard)> disabled)
    {
        ArgumentNullException.ThrowIfNull(disabled);
        var store = _values[VtorcStats.EmergencyReparentShardDisabled];
        store.ReplaceAll(disabled.Select(s => KeyValuePair.Create(store.Labels(s.Keyspace, s.Shard), 1L)));
    }

    public void Dispose() => Meter.Dispose();

    private void Count(StatDefinition stat, params string[] labelValues) => CountBy(stat, 1, labelValues);

    private void CountBy(StatDefinition stat, long count, params string[] labelValues)
    {
        var store = _values[stat];
        var labels = store.Labels(labelValues);
        store.Add(labels, count);
        _counters[stat].Add(count, Tags(stat, labels));
    }

    private void SetGauge(StatDefinition stat, long value, params string[] labelValues)
    {
        var store = _values[stat];
        store.Set(store.Labels(labelValues), value);
    }

    private void AddToGauge(StatDefinition stat, long delta)
    {
        var store = _values[stat];
        store.Add(LabelSet.Empty, delta);
    }

    private void ObserveTiming(StatDefinition stat, string category, TimeSpan duration)
    {
        _timings[stat].Observe(category, duration);
        var tags = new TagList { { stat.Labels[0], category } };
        _histograms[stat].Record(Math.Max(0, duration.TotalSeconds), tags);
    }

    private static IEnumerable<Measurement<long>> Observe(LabeledValues store) =>
        store.Samples().Select(s => new Measurement<long>(s.Value, Tags(store.Definition, s.LabelValues)));

    private static TagList Tags(StatDefinition stat, LabelSet labels) => Tags(stat, labels.Values);

    private static TagList Tags(StatDefinition stat, IReadOnlyList<string> values)
    {
        var tags = new TagList();
        for (int i = 0; i < values.Count; i++)
        {
            tags.Add(stat.Labels[i], values[i]);
        }
        return tags;
    }
}
