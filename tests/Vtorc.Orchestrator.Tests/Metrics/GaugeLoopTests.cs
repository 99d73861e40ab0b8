using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Store;
using Vtorc.Orchestrator.Tests.Discovery;

namespace Vtorc.Orchestrator.Tests.Metrics;

/// <summary>The 1 s gauges: tablets per shard are counted again only when a tablet record changed, and then always.</summary>
public sealed class GaugeLoopTests
{
    [Fact]
    public async Task Tablets_per_shard_follow_tablets_added_and_forgotten_between_ticks()
    {
        var state = new DiscoveryState(TimeSpan.FromDays(1));
        using var metrics = new VtorcMetrics();
        await using var store = await HistoryStore.OpenAsync(new StoreOptions { SqliteDataFile = StoreOptions.VitessInMemoryDefault }, null,
            CancellationToken.None);
        var poller = new InstancePoller(new FakeTabletManager(), state, new DiscoverySettings(), new FakeTimeProvider(), new FakeDiscoveryMetrics(),
            NullLogger<InstancePoller>.Instance);
        var gauges = new GaugeLoop(state, poller, store, metrics);
        state.SaveTablet(new TabletRecord(TestTablets.Record("zone1", 100)));
        state.SaveTablet(new TabletRecord(TestTablets.Record("zone1", 101)));
        state.SaveTablet(new TabletRecord(TestTablets.Record("zone1", 200, shard: "80-")));

        gauges.Update();
        Assert.Equal(["ks.0 2", "ks.80- 1"], PerShard(metrics));

        gauges.Update();
        Assert.Equal(["ks.0 2", "ks.80- 1"], PerShard(metrics));

        state.SaveTablet(new TabletRecord(TestTablets.Record("zone1", 102)));
        state.ForgetTablet("zone1-0000000200", DateTimeOffset.UnixEpoch);
        gauges.Update();
        Assert.Equal(["ks.0 3"], PerShard(metrics));
    }

    private static string[] PerShard(VtorcMetrics metrics) =>
        [.. System.Text.Json.JsonDocument.Parse(ExpvarJsonFormatter.Format(metrics)).RootElement.GetProperty("TabletsWatchedByShard")
            .EnumerateObject().Select(p => $"{p.Name} {p.Value.GetInt64()}").Order(StringComparer.Ordinal)];
}
