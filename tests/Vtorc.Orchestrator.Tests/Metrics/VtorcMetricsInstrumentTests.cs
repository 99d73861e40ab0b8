using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Metrics;

/// <summary>The same stats seen through System.Diagnostics.Metrics, as OpenTelemetry would read them.</summary>
public sealed class VtorcMetricsInstrumentTests : IDisposable
{
    private readonly VtorcMetrics _metrics = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Instrument> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public VtorcMetricsInstrumentTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Other tests create their own VtorcMetrics in parallel; only this instance's meter counts here.
            if (ReferenceEquals(instrument.Meter, _metrics.Meter))
            {
                _published[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [Fact]
    public void EveryStatIsPublishedOnTheVtorcMeterWithAMatchingInstrumentType()
    {
        Assert.Equal(VtorcMetrics.MeterName, _metrics.Meter.Name);
        Assert.Equal(VtorcStats.All.Select(s => s.Name).Order(StringComparer.Ordinal), _published.Keys.Order(StringComparer.Ordinal));
        Assert.IsType<Counter<long>>(_published["RecoveriesCount"]);
        Assert.IsType<ObservableGauge<long>>(_published["PendingRecoveries"]);
        Assert.IsType<ObservableGauge<long>>(_published["DetectedProblems"]);
        var histogram = Assert.IsType<Histogram<double>>(_published["ShardLockTimings"]);
        Assert.Equal("s", histogram.Unit);
    }

    [Fact]
    public void CountersReportEachIncrementWithTheirLabelsAsTags()
    {
        _metrics.CountSkippedRecovery(new RecoveryMetricLabels("FixReplica", "ks", "0"), RecoverySkipReason.GlobalRecoveriesDisabled);

        var m = Assert.Single(_measurements, m => m.Name == "SkippedRecoveries");
        Assert.Equal(1, m.Value);
        Assert.Equal(new Dictionary<string, string?>
        {
            ["RecoveryType"] = "FixReplica", ["Keyspace"] = "ks", ["Shard"] = "0", ["Reason"] = "GlobalRecoveriesDisabled",
        }, m.Tags);
    }

    [Fact]
    public void GaugesReportTheirCurrentValuesWhenObserved()
    {
        _metrics.SetQueueLength(7);
        _metrics.SetDetectedProblems([new DetectedProblemLabels("DeadPrimary", "zone1-0000000100", "ks", "0")]);

        _listener.RecordObservableInstruments();

        Assert.Equal(7, Assert.Single(_measurements, m => m.Name == "DiscoveriesQueueLength").Value);
        var problem = Assert.Single(_measurements, m => m.Name == "DetectedProblems");
        Assert.Equal(1, problem.Value);
        Assert.Equal("zone1-0000000100", problem.Tags["TabletAlias"]);
    }

    [Fact]
    public void TimingsAreRecordedInSecondsWithTheActionTag()
    {
        _metrics.ObserveInstanceTiming("Instance", TimeSpan.FromMilliseconds(250));

        var m = Assert.Single(_measurements, m => m.Name == "DiscoveryInstanceTimings");
        Assert.Equal(0.25, m.Value, precision: 9);
        Assert.Equal("Instance", m.Tags["Action"]);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }
        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
