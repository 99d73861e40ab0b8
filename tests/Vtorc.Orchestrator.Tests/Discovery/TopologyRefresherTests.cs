using Microsoft.Extensions.Logging.Abstractions;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Topo;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

public sealed class TopologyRefresherTests
{
    [Fact]
    public async Task ARefreshPicksUpANewTabletAndForgetsADeletedOne()
    {
        await using var h = Create();
        var changed = new List<string>();
        var forgotten = new List<string>();
        h.Refresher.TabletChanged += t => changed.Add(t.Alias);
        h.Refresher.TabletForgotten += t => forgotten.Add(t.Alias);
        var kept = await h.AddTabletAsync(NewTablet("zone1", 100));
        var deleted = await h.AddTabletAsync(NewTablet("zone1", 101));
        Assert.True(await h.Refresher.RefreshAllTabletsAsync(Deadline()));
        Assert.Equal([kept, deleted], changed);

        var added = await h.AddTabletAsync(NewTablet("zone1", 102));
        await h.Topo.DeleteTabletAsync(TabletAliases.Parse(deleted), Deadline());
        Assert.True(await h.Refresher.RefreshAllTabletsAsync(Deadline()));

        Assert.Equal([kept, deleted, added], changed);
        Assert.Equal([deleted], forgotten);
        Assert.NotNull(h.State.TryGetTablet(added));
        Assert.Null(h.State.TryGetTablet(deleted));
        Assert.True(h.State.IsForgotten(deleted, h.Time.GetUtcNow()));
        Assert.False(await h.Poller.DiscoverAsync(deleted, force: true, Deadline()));
        Assert.Empty(h.Tablets.CallsTo("FullStatus", deleted));
        Assert.False(h.State.IsForgotten(deleted, h.Time.GetUtcNow() + h.Settings.ForgetTtl));
    }

    [Fact]
    public async Task CellsToWatchLimitsDiscoveryToItsCellsAndAMissingCellFailsTheRefresh()
    {
        await using var h = Create();
        var inZone1 = await h.AddTabletAsync(NewTablet("zone1", 110));
        var inZone2 = await h.AddTabletAsync(NewTablet("zone2", 210));

        h.Refresher.Settings = h.Settings with { CellsToWatch = ["zone2"] };
        Assert.True(await h.Refresher.RefreshAllTabletsAsync(Deadline()));
        Assert.Null(h.State.TryGetTablet(inZone1));
        Assert.NotNull(h.State.TryGetTablet(inZone2));

        // As VTOrc: a watched cell that the topology does not have fails the tablet refresh.
        h.Refresher.Settings = h.Settings with { CellsToWatch = ["zone1", "nowhere"] };
        Assert.False(await h.Refresher.RefreshAllTabletsAsync(Deadline()));
        Assert.Null(h.State.TryGetTablet(inZone1));
    }

    [Fact]
    public async Task ACorruptTabletRecordIsKeptAsLastSeenWhileTheRestOfItsCellIsRefreshed()
    {
        await using var h = Create();
        var forgotten = new List<string>();
        h.Refresher.TabletForgotten += t => forgotten.Add(t.Alias);
        var broken = await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        Assert.True(await h.Refresher.RefreshAllTabletsAsync(Deadline()));

        h.PutRaw("zone1", $"tablets/{broken}/Tablet", Google.Protobuf.ByteString.CopyFrom(0x0a, 0xff, 0x01));
        var added = await h.AddTabletAsync(NewTablet("zone1", 101));
        Assert.True(await h.Refresher.RefreshAllTabletsAsync(Deadline()));

        Assert.Empty(forgotten);
        Assert.Equal(TabletType.Primary, h.State.TryGetTablet(broken)?.Type);
        Assert.NotNull(h.State.TryGetTablet(added));
    }

    [Fact]
    public async Task AnUnchangedTabletIsNotAnnouncedAgainButAChangedOneIs()
    {
        await using var h = Create();
        var changed = new List<string>();
        h.Refresher.TabletChanged += t => changed.Add($"{t.Alias}:{t.Type}");
        var alias = await h.AddTabletAsync(NewTablet("zone2", 200));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        Assert.Equal([$"{alias}:Replica"], changed);

        await h.Topo.Tablets.UpdateFieldsAsync(TabletAliases.Parse(alias), t => t.Type = TabletType.Rdonly, Deadline());
        await h.Refresher.RefreshAllTabletsAsync(Deadline());

        Assert.Equal([$"{alias}:Replica", $"{alias}:Rdonly"], changed);
        Assert.Equal(TabletType.Rdonly, h.State.TryGetTablet(alias)!.Type);
    }

    [Fact]
    public async Task ClustersToWatchFiltersTabletsAndShards()
    {
        await using var h = Create(clustersToWatch: "ks/-80");
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await h.Topo.Keyspaces.CreateAsync("other", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        foreach (var shard in new[] { "-40", "40-80", "80-" })
        {
            await h.Topo.CreateShardAsync("ks", shard, Deadline());
        }
        await h.Topo.CreateShardAsync("other", "0", Deadline());
        var low = await h.AddTabletAsync(NewTablet("zone1", 100, shard: "-40"));
        var mid = await h.AddTabletAsync(NewTablet("zone2", 200, shard: "40-80"));
        var high = await h.AddTabletAsync(NewTablet("zone1", 101, shard: "80-"));
        var other = await h.AddTabletAsync(NewTablet("zone1", 102, keyspace: "other"));

        Assert.True(await h.Refresher.RefreshAllAsync(Deadline()));

        Assert.Equal([low, mid], h.State.Tablets.Select(t => t.Alias).Order(StringComparer.Ordinal));
        Assert.Null(h.State.TryGetTablet(high));
        Assert.Null(h.State.TryGetTablet(other));
        Assert.Equal(["ks/-40", "ks/40-80"], h.State.Shards.Select(s => $"{s.Keyspace}/{s.Shard}").Order(StringComparer.Ordinal));
        Assert.NotNull(h.State.TryGetKeyspace("ks"));
        Assert.Null(h.State.TryGetKeyspace("other"));
    }

    [Fact]
    public async Task KeyspaceAndShardRecordsAreReadAndDeletedShardsDropped()
    {
        await using var h = Create();
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace
        {
            DurabilityPolicy = "semi_sync",
            VtorcState = new Vtorcdata.Keyspace { DisableEmergencyReparent = true },
        }, Deadline());
        await h.Topo.CreateShardAsync("ks", "-80", Deadline());
        await h.Topo.CreateShardAsync("ks", "80-", Deadline());
        await h.Topo.Shards.UpdateFieldsAsync(("ks", "-80"), s => s.PrimaryAlias = TabletAliases.Create("zone1", 100), Deadline());

        Assert.True(await h.Refresher.RefreshAllKeyspacesAndShardsAsync(Deadline()));

        Assert.Equal(new KeyspaceRecord("ks", KeyspaceType.Normal, "semi_sync", true), h.State.TryGetKeyspace("ks"));
        Assert.Equal("zone1-0000000100", h.State.TryGetShard("ks", "-80")!.PrimaryAlias);
        Assert.NotNull(h.State.TryGetShard("ks", "80-"));

        await h.Topo.Shards.DeleteAsync(("ks", "80-"), null, Deadline());
        Assert.True(await h.Refresher.RefreshAllKeyspacesAndShardsAsync(Deadline()));
        Assert.Null(h.State.TryGetShard("ks", "80-"));
        Assert.NotNull(h.State.TryGetShard("ks", "-80"));
    }

    [Fact]
    public async Task RefreshShardRereadsOneShardRecord()
    {
        await using var h = Create();
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        await h.Refresher.RefreshAllKeyspacesAndShardsAsync(Deadline());
        Assert.Equal("", h.State.TryGetShard("ks", "0")!.PrimaryAlias);

        await h.Topo.Shards.UpdateFieldsAsync(("ks", "0"), s => s.PrimaryAlias = TabletAliases.Create("zone2", 200), Deadline());
        await h.Source.RefreshShardAsync("ks", "0", Deadline());

        Assert.Equal("zone2-0000000200", h.State.TryGetShard("ks", "0")!.PrimaryAlias);
    }

    [Fact]
    public async Task RefreshTabletsOfAShardAddsNewTabletsAndForgetsRemovedOnes()
    {
        await using var h = Create();
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        var first = await h.AddTabletAsync(NewTablet("zone1", 100));
        var removed = await h.AddTabletAsync(NewTablet("zone2", 200));
        var otherShard = await h.AddTabletAsync(NewTablet("zone1", 300, shard: "-80"));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());

        var added = await h.AddTabletAsync(NewTablet("zone2", 201));
        await h.Topo.DeleteTabletAsync(TabletAliases.Parse(removed), Deadline());
        await h.Source.RefreshTabletsAsync("ks", "0", Deadline());

        Assert.Equal([first, added], h.State.TabletsOfShard("ks", "0").Select(t => t.Alias).Order(StringComparer.Ordinal));
        Assert.True(h.State.IsForgotten(removed, h.Time.GetUtcNow()));
        Assert.NotNull(h.State.TryGetTablet(otherShard));
    }

    [Fact]
    public async Task TheTopoTickerRefreshesWhenTheRefreshDurationPasses()
    {
        await using var h = Create();
        var discovered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Refresher.TabletChanged += t => discovered.TrySetResult(t.Alias);
        await using var ticker = h.Refresher.CreateTicker(NullLogger.Instance);
        ticker.Start();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 100));
        Assert.False(discovered.Task.IsCompleted);

        h.Time.Advance(h.Settings.TopoInformationRefreshDuration);

        Assert.Equal(alias, await discovered.Task.WaitAsync(Deadline()));
        await ticker.StopAsync().WaitAsync(Deadline());
    }
}
