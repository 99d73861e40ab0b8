using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Discovery;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;
using static Vtorc.Orchestrator.Tests.Discovery.RunningWatcher;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// The topology watch against a real etcd, each test on an etcd of its own (it restarts, compacts or freezes it), with
/// the periodic refresh an hour away, so every change seen after the first refresh came through the watch.
/// </summary>
[NeedsExternalProcess]
public sealed class TopologyWatcherEtcdTests
{
    [Fact]
    public async Task AfterAnEtcdRestartTheWatchResumesAndALaterChangeIsSeen()
    {
        // Its own etcd: the shared one must stay up for the other tests.
        await using var own = await EtcdProcess.StartAsync();
        await using var h = await CreateOnEtcdAsync(own.Endpoint, HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await using var running = await RunningWatcher.StartAsync(h);
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
        await using var h = await CreateOnEtcdAsync(own.Endpoint, HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        var watcher = RunningWatcher.NewWatcher(h);
        await watcher.PrepareAsync(Deadline());
        Assert.True(await h.Refresher.RefreshAllAsync(Deadline()));

        // Changes, then the history that holds them is compacted before the watches start from their noted revisions.
        await h.Topo.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "semi_sync", Deadline());
        var missed = await h.AddTabletAsync(NewTablet("zone1", 100));
        var put = await client.PutAsync("/unrelated", "x", cancellationToken: Deadline());
        await client.CompactAsync(put.Header.Revision, physical: true, cancellationToken: Deadline());
        await using var running = RunningWatcher.Run(watcher);

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
        await using var h = await CreateOnEtcdAsync(own.Endpoint, HourlyRefresh());
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        var settings = new TopologyWatchSettings { ProgressInterval = TimeSpan.FromSeconds(1), StallTimeout = TimeSpan.FromSeconds(3) };
        await using var running = await RunningWatcher.StartAsync(h, settings: settings);
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
}
