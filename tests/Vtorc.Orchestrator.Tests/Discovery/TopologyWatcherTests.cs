using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Topodata;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;
using static Vtorc.Orchestrator.Tests.Discovery.RunningWatcher;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// The topology watch on the in-memory topology, with the periodic refresh an hour away
/// (<see cref="RunningWatcher.HourlyRefresh"/>), so every change seen after the first refresh came through the watch.
/// What etcd itself does to a watch (restart, compaction, a frozen server) is in <see cref="TopologyWatcherEtcdTests"/>.
/// </summary>
public sealed class TopologyWatcherTests
{
    [Fact]
    public async Task ADurabilityPolicyChangeOnTheKeyspaceRecordReachesTheStateWithoutARefresh()
    {
        await using var h = Create(settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        await using var running = await RunningWatcher.StartAsync(h);
        Assert.Equal("none", h.State.TryGetKeyspace("ks")?.DurabilityPolicy);

        // The write SetKeyspaceDurabilityPolicy makes (src/Vtorc.Cli/Ctl/KeyspaceCommands.cs).
        await h.Topo.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "semi_sync", Deadline());

        var policies = DurabilityPolicyRegistry.CreateDefault();
        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetKeyspace("ks")?.DurabilityPolicy == "semi_sync"), Generous,
            "the keyspace's new durability policy is in the discovery state");
        Assert.Equal("semi_sync", h.State.Snapshot("ks", "0", policies)?.Keyspace.DurabilityPolicy);
    }

    [Fact]
    public async Task TheDaemonAppliesADurabilityChangeWithinItsRefreshIntervalOfAnHour()
    {
        await using var h = Create(settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        var options = new OrchestratorOptions
        {
            Discovery = HourlyRefresh() with { RemoteOperationTimeout = TimeSpan.FromSeconds(5) },
            AllowRecovery = false,
        };
        using var metrics = new VtorcMetrics();
        await using var daemon = await OrchestratorDaemon.StartAsync(h.Topo, h.Tablets, options, metrics, NullLoggerFactory.Instance,
            TimeProvider.System, Deadline());
        Assert.NotNull(daemon.Watcher);
        Assert.Equal("none", daemon.State.Snapshot("ks", "0", daemon.Policies)?.Durability?.Name);

        await h.Topo.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "semi_sync", Deadline());

        await Poll.UntilAsync(() => Task.FromResult(daemon.State.Snapshot("ks", "0", daemon.Policies)?.Durability?.Name == "semi_sync"), Generous,
            "the daemon's analysis sees the semi_sync policy");
    }

    [Fact]
    public async Task ANewTabletRecordIsSavedAndPolledAtOnce()
    {
        await using var h = Create(settings: HourlyRefresh());
        h.Refresher.TabletChanged += t => h.Poller.Enqueue(t.Alias);
        h.Poller.Start();
        await using var running = await RunningWatcher.StartAsync(h);

        var alias = await h.AddTabletAsync(NewTablet("zone2", 200));

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetTablet(alias) is not null), Generous, $"tablet {alias} is in the state");
        await Poll.UntilAsync(() => Task.FromResult(h.Tablets.CallsTo("FullStatus", alias).Count > 0), Generous, $"tablet {alias} got a FullStatus");
    }

    [Fact]
    public async Task ADeletedTabletRecordIsForgotten()
    {
        await using var h = Create(settings: HourlyRefresh());
        var kept = await h.AddTabletAsync(NewTablet("zone1", 100));
        var deleted = await h.AddTabletAsync(NewTablet("zone1", 101));
        var forgotten = new System.Collections.Concurrent.ConcurrentQueue<string>();
        h.Refresher.TabletForgotten += t => forgotten.Enqueue(t.Alias);
        await using var running = await RunningWatcher.StartAsync(h);
        Assert.NotNull(h.State.TryGetTablet(deleted));

        await h.Topo.DeleteTabletAsync(TabletAliases.Parse(deleted), Deadline());

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetTablet(deleted) is null), Generous, $"tablet {deleted} is forgotten");
        Assert.True(h.State.IsForgotten(deleted, h.Time.GetUtcNow()));
        Assert.Equal([deleted], forgotten);
        Assert.NotNull(h.State.TryGetTablet(kept));
    }

    [Fact]
    public async Task AShardRecordChangeOfPrimaryReachesTheState()
    {
        await using var h = Create(settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace(), Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        await using var running = await RunningWatcher.StartAsync(h);
        Assert.Equal("", h.State.TryGetShard("ks", "0")?.PrimaryAlias);

        await h.Topo.Shards.UpdateFieldsAsync(("ks", "0"), s => s.PrimaryAlias = TabletAliases.Create("zone1", 100), Deadline());

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetShard("ks", "0")?.PrimaryAlias == "zone1-0000000100"), Generous,
            "the shard's new primary is in the state");
    }

    [Fact]
    public async Task ClustersToWatchAppliesToWatchedChangesAsToTheRefresh()
    {
        await using var h = Create(clustersToWatch: "ks/-80", settings: HourlyRefresh());
        await using var running = await RunningWatcher.StartAsync(h);

        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace(), Deadline());
        await h.Topo.Keyspaces.CreateAsync("other", new Keyspace(), Deadline());
        await h.Topo.CreateShardAsync("other", "0", Deadline());
        await h.Topo.CreateShardAsync("ks", "80-", Deadline());
        var high = await h.AddTabletAsync(NewTablet("zone1", 101, shard: "80-"));
        var otherTablet = await h.AddTabletAsync(NewTablet("zone1", 102, keyspace: "other"));
        // Written last: once these are seen, the changes above have been through the watch too.
        await h.Topo.CreateShardAsync("ks", "-80", Deadline());
        var low = await h.AddTabletAsync(NewTablet("zone1", 100, shard: "-80"));

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetTablet(low) is not null && h.State.TryGetShard("ks", "-80") is not null),
            Generous, "the watched shard and tablet are in the state");
        Assert.NotNull(h.State.TryGetKeyspace("ks"));
        Assert.Null(h.State.TryGetKeyspace("other"));
        Assert.Null(h.State.TryGetShard("other", "0"));
        Assert.Null(h.State.TryGetShard("ks", "80-"));
        Assert.Null(h.State.TryGetTablet(high));
        Assert.Null(h.State.TryGetTablet(otherTablet));
    }

    [Fact]
    public async Task ABadRecordIsSkippedWithAnErrorNamingItsKeyWhileGoodOnesKeepFlowing()
    {
        var log = new FakeLogger<TopologyWatcher>();
        await using var h = Create(settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await using var running = await RunningWatcher.StartAsync(h, log);

        var badTabletKey = RecordKey("zone1", "tablets/zone1-0000000100/Tablet");
        var badKeyspaceKey = RecordKey("global", "keyspaces/ks/Keyspace");
        // A length-delimited field whose length runs past the end: not decodable as any message.
        h.PutRaw("zone1", "tablets/zone1-0000000100/Tablet", ByteString.CopyFrom(0x0a, 0xff, 0x01));
        h.PutRaw("global", "keyspaces/ks/Keyspace", ByteString.CopyFrom(0x0a, 0xff, 0x01));
        var good = await h.AddTabletAsync(NewTablet("zone1", 101));
        await h.Topo.Keyspaces.CreateAsync("ks2", new Keyspace { DurabilityPolicy = "semi_sync" }, Deadline());

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetTablet(good) is not null && h.State.TryGetKeyspace("ks2") is not null),
            Generous, "the good records written after the bad ones are in the state");
        Assert.True(log.Has(LogLevel.Error, badTabletKey), log.ToString());
        Assert.True(log.Has(LogLevel.Error, badKeyspaceKey), log.ToString());
        Assert.Null(h.State.TryGetTablet("zone1-0000000100"));
        Assert.Equal("none", h.State.TryGetKeyspace("ks")?.DurabilityPolicy);
        Assert.Equal(2, running.Watcher.Stats.BadRecords);
    }
}
