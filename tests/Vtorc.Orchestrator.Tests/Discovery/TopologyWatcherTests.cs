using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Tests.Recovery;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// The topology watch against a real etcd, with the periodic refresh an hour away (and never ticking: the harness's
/// clock is fake), so every change seen after the first refresh came through the watch.
/// </summary>
[Collection(DiscoveryEtcdCollection.Name)]
public sealed class TopologyWatcherTests(EtcdFixture etcd)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static DiscoverySettings HourlyRefresh() => new()
    {
        InstancePollTime = TimeSpan.FromSeconds(5),
        DiscoveryWorkers = 4,
        TopoInformationRefreshDuration = TimeSpan.FromHours(1),
    };

    [Fact]
    public async Task ADurabilityPolicyChangeOnTheKeyspaceRecordReachesTheStateWithoutARefresh()
    {
        await using var h = await CreateAsync(etcd.Etcd.Endpoint, settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        await using var running = await StartWatcherAsync(h);
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
        await using var h = await CreateAsync(etcd.Etcd.Endpoint, settings: HourlyRefresh());
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
        await using var h = await CreateAsync(etcd.Etcd.Endpoint, settings: HourlyRefresh());
        h.Refresher.TabletChanged += t => h.Poller.Enqueue(t.Alias);
        h.Poller.Start();
        await using var running = await StartWatcherAsync(h);

        var alias = await h.AddTabletAsync(NewTablet("zone2", 200));

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetTablet(alias) is not null), Generous, $"tablet {alias} is in the state");
        await Poll.UntilAsync(() => Task.FromResult(h.Tablets.CallsTo("FullStatus", alias).Count > 0), Generous, $"tablet {alias} got a FullStatus");
    }

    [Fact]
    public async Task ADeletedTabletRecordIsForgotten()
    {
        await using var h = await CreateAsync(etcd.Etcd.Endpoint, settings: HourlyRefresh());
        var kept = await h.AddTabletAsync(NewTablet("zone1", 100));
        var deleted = await h.AddTabletAsync(NewTablet("zone1", 101));
        var forgotten = new System.Collections.Concurrent.ConcurrentQueue<string>();
        h.Refresher.TabletForgotten += t => forgotten.Enqueue(t.Alias);
        await using var running = await StartWatcherAsync(h);
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
        await using var h = await CreateAsync(etcd.Etcd.Endpoint, settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace(), Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        await using var running = await StartWatcherAsync(h);
        Assert.Equal("", h.State.TryGetShard("ks", "0")?.PrimaryAlias);

        await h.Topo.Shards.UpdateFieldsAsync(("ks", "0"), s => s.PrimaryAlias = TabletAliases.Create("zone1", 100), Deadline());

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetShard("ks", "0")?.PrimaryAlias == "zone1-0000000100"), Generous,
            "the shard's new primary is in the state");
    }

    [Fact]
    public async Task ClustersToWatchAppliesToWatchedChangesAsToTheRefresh()
    {
        await using var h = await CreateAsync(etcd.Etcd.Endpoint, clustersToWatch: "ks/-80", settings: HourlyRefresh());
        await using var running = await StartWatcherAsync(h);

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
        await using var h = await CreateAsync(etcd.Etcd.Endpoint, settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await using var running = await StartWatcherAsync(h, log);

        var badTabletKey = $"{h.BaseRoot}/zone1/tablets/zone1-0000000100/Tablet";
        var badKeyspaceKey = $"{h.BaseRoot}/global/keyspaces/ks/Keyspace";
        // A length-delimited field whose length runs past the end: not decodable as any message.
        await etcd.Client.PutAsync(badTabletKey, ByteString.CopyFrom(0x0a, 0xff, 0x01), cancellationToken: Deadline());
        await etcd.Client.PutAsync(badKeyspaceKey, ByteString.CopyFrom(0x0a, 0xff, 0x01), cancellationToken: Deadline());
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

    [Fact]
    public async Task AfterAnEtcdRestartTheWatchResumesAndALaterChangeIsSeen()
    {
        // Its own etcd: the shared one must stay up for the other tests.
        await using var own = await EtcdProcess.StartAsync();
        await using var h = await CreateAsync(own.Endpoint, settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await using var running = await StartWatcherAsync(h);
        var before = await h.AddTabletAsync(NewTablet("zone1", 100));
        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetTablet(before) is not null), Generous, "the watch works before the restart");
        var opened = running.Watcher.Stats.StreamsOpened;

        await own.StopAsync();
        await own.StartAgainAsync(Deadline());
        await h.Topo.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "semi_sync", Deadline());
        var after = await h.AddTabletAsync(NewTablet("zone2", 200));

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetKeyspace("ks")?.DurabilityPolicy == "semi_sync" && h.State.TryGetTablet(after) is not null),
            Generous, "the changes made after the restart are in the state");
        Assert.True(running.Watcher.Stats.StreamsOpened > opened, "the watch streams were re-opened");
        Assert.Equal(0, running.Watcher.Stats.FullRereads);
    }

    [Fact]
    public async Task ACompactedStartRevisionLeadsToAFullReadThenTheWatch()
    {
        // Its own etcd: compaction is store-wide.
        await using var own = await EtcdProcess.StartAsync();
        await using var client = own.CreateClient();
        await using var h = await CreateAsync(own.Endpoint, settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        var watcher = NewWatcher(h);
        await watcher.PrepareAsync(Deadline());
        Assert.True(await h.Refresher.RefreshAllAsync(Deadline()));

        // Changes, then the history that holds them is compacted before the watches start from their noted revisions.
        await h.Topo.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "semi_sync", Deadline());
        var missed = await h.AddTabletAsync(NewTablet("zone1", 100));
        var put = await client.PutAsync($"{h.BaseRoot}/unrelated", "x", cancellationToken: Deadline());
        await client.CompactAsync(put.Header.Revision, physical: true, cancellationToken: Deadline());
        await using var running = Run(watcher);

        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetKeyspace("ks")?.DurabilityPolicy == "semi_sync" && h.State.TryGetTablet(missed) is not null),
            Generous, "the changes lost to the compaction are read in full");
        Assert.True(watcher.Stats.FullRereads >= 1);
        var later = await h.AddTabletAsync(NewTablet("zone2", 200));
        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetTablet(later) is not null), Generous, "a later change comes through the watch");
    }

    [Fact]
    public async Task AStreamThatFallsSilentIsNoticedAndReplaced()
    {
        // Its own etcd, frozen with SIGSTOP: connections stay open, nothing answers (a stalled host).
        await using var own = await EtcdProcess.StartAsync();
        await using var h = await CreateAsync(own.Endpoint, settings: HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        var settings = new TopologyWatchSettings { ProgressInterval = TimeSpan.FromSeconds(1), StallTimeout = TimeSpan.FromSeconds(3) };
        await using var running = await StartWatcherAsync(h, settings: settings);
        await Poll.UntilAsync(() => Task.FromResult(running.Watcher.Stats.StreamsOpened >= 3), Generous, "the global and both cells' streams are open");

        var frozen = ProcessIdentity.TryRead(own.Pid ?? throw new InvalidOperationException("etcd is not running"))!;
        Assert.True(DetachedProcess.Pause(frozen), "SIGSTOP of etcd");
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(running.Watcher.Stats.Stalls >= 1), Generous, "a silent stream is taken as dead");
        }
        finally
        {
            Assert.True(DetachedProcess.Resume(frozen), "SIGCONT of etcd");
        }

        await h.Topo.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "semi_sync", Deadline());
        await Poll.UntilAsync(() => Task.FromResult(h.State.TryGetKeyspace("ks")?.DurabilityPolicy == "semi_sync"), Generous,
            "a change after the thaw comes through the re-opened watch");
    }

    private static TopologyWatcher NewWatcher(DiscoveryHarness h, ILogger<TopologyWatcher>? logger = null, TopologyWatchSettings? settings = null) =>
        new(h.Topo, h.Refresher, settings ?? new TopologyWatchSettings(), h.Settings, logger ?? NullLogger<TopologyWatcher>.Instance);

    /// <summary>As the daemon: note the revisions, run the first full refresh, then run the watches.</summary>
    private static async Task<RunningWatcher> StartWatcherAsync(DiscoveryHarness h, ILogger<TopologyWatcher>? logger = null,
        TopologyWatchSettings? settings = null)
    {
        var watcher = NewWatcher(h, logger, settings);
        await watcher.PrepareAsync(Deadline());
        Assert.True(await h.Refresher.RefreshAllAsync(Deadline()));
        return Run(watcher);
    }

    private static RunningWatcher Run(TopologyWatcher watcher)
    {
        var stop = new CancellationTokenSource();
        return new RunningWatcher(watcher, stop, Task.Run(() => watcher.RunAsync(stop.Token)));
    }

    private sealed class RunningWatcher(TopologyWatcher watcher, CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        public TopologyWatcher Watcher => watcher;

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            // Shutdown ends every stream: the run returns once cancelled, without an error.
            await run.WaitAsync(TimeSpan.FromSeconds(30));
            stop.Dispose();
        }
    }
}
