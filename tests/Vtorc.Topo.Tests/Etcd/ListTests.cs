using Google.Protobuf;
using Topodata;
using Vtorc.LocalCluster;
using static Vtorc.Topo.Tests.Etcd.TestTopo;

namespace Vtorc.Topo.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class ListTests(EtcdFixture etcd)
{
    [Fact]
    public async Task Cells_and_keyspaces_are_listed_by_name()
    {
        await using var topo = await CreateAsync(etcd);
        Assert.Empty(await topo.Server.GetKeyspaceNamesAsync(Timeout()));
        await topo.Server.Keyspaces.CreateAsync("customer", new Keyspace(), Timeout());
        await topo.Server.Keyspaces.CreateAsync("commerce", new Keyspace(), Timeout());

        Assert.Equal(["zone1", "zone2"], await topo.Server.GetCellNamesAsync(Timeout()));
        Assert.Equal(["commerce", "customer"], await topo.Server.GetKeyspaceNamesAsync(Timeout()));
    }

    [Fact]
    public async Task Shards_of_a_keyspace_are_listed_and_lock_entries_skipped()
    {
        await using var topo = await CreateAsync(etcd);
        await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace(), Timeout());
        await topo.Server.Shards.CreateAsync(("ks", "-80"), new Shard { KeyRange = KeyRanges.FromShardName("-80") }, Timeout());
        await topo.Server.Shards.CreateAsync(("ks", "80-"), new Shard { KeyRange = KeyRanges.FromShardName("80-") }, Timeout());
        await topo.Server.Shards.CreateAsync(("other", "0"), new Shard(), Timeout());
        await using var held = await topo.Server.Locks.LockShardAsync("ks", "-80", "listing test", Timeout());

        var shards = await topo.Server.GetShardsAsync("ks", Timeout());

        Assert.Equal(["-80", "80-"], shards.Keys);
        Assert.Equal("-80", shards["-80"].Value.KeyRange.ToText());
        Assert.Equal(["-80", "80-"], await topo.Server.GetShardNamesAsync("ks", Timeout()));
    }

    [Fact]
    public async Task Tablets_of_a_cell_are_listed_sorted_by_alias_and_other_keys_skipped()
    {
        await using var topo = await CreateAsync(etcd);
        foreach (var uid in new uint[] { 102, 7, 100 })
        {
            await topo.Server.Tablets.CreateAsync(TabletAliases.Create("zone1", uid), Tablet("zone1", uid), Timeout());
        }

        await topo.Server.Tablets.CreateAsync(TabletAliases.Create("zone2", 1), Tablet("zone2", 1), Timeout());
        await using (var client = etcd.CreateClient())
        {
            await client.PutAsync(topo.CellRoot("zone1") + "/tablets/zone1-0000000100/Other", ByteString.CopyFromUtf8("not a tablet"), cancellationToken: Timeout());
        }

        var tablets = await topo.Server.GetTabletsByCellAsync("zone1", Timeout());

        Assert.Equal(["zone1-0000000007", "zone1-0000000100", "zone1-0000000102"], tablets.Select(t => t.Value.Alias.ToText()));
        Assert.All(tablets, t => Assert.True(t.Version > 0));
    }

    [Fact]
    public async Task Tablets_of_a_shard_come_from_the_primary_and_every_cells_replication_record()
    {
        await using var topo = await CreateAsync(etcd);
        var primary = TabletAliases.Create("zone1", 100);
        await topo.Server.Shards.CreateAsync(("ks", "0"), new Shard { PrimaryAlias = primary }, Timeout());
        await topo.Server.Tablets.CreateAsync(primary, Tablet("zone1", 100, type: TabletType.Primary), Timeout());
        await topo.Server.Tablets.CreateAsync(TabletAliases.Create("zone1", 101), Tablet("zone1", 101), Timeout());
        await topo.Server.Tablets.CreateAsync(TabletAliases.Create("zone2", 200), Tablet("zone2", 200), Timeout());
        await topo.Server.Tablets.CreateAsync(TabletAliases.Create("zone2", 999), Tablet("zone2", 999, shard: "other"), Timeout());
        await topo.Server.ShardReplications.CreateAsync(("zone1", "ks", "0"), Nodes(("zone1", 101)), Timeout());
        // zone2 lists a tablet whose record is gone; it is skipped.
        await topo.Server.ShardReplications.CreateAsync(("zone2", "ks", "0"), Nodes(("zone2", 200), ("zone2", 201)), Timeout());

        var aliases = await topo.Server.GetTabletAliasesByShardAsync("ks", "0", Timeout());
        var tablets = await topo.Server.GetTabletsByShardAsync("ks", "0", Timeout());

        Assert.Equal(["zone1-0000000100", "zone1-0000000101", "zone2-0000000200", "zone2-0000000201"], aliases.Select(a => a.ToText()));
        Assert.Equal(["zone1-0000000100", "zone1-0000000101", "zone2-0000000200"], tablets.Select(t => t.Value.Alias.ToText()));
    }

    [Fact]
    public async Task A_cell_connection_is_recreated_when_its_CellInfo_changes()
    {
        await using var topo = await CreateAsync(etcd);
        await using var secondEtcd = await EtcdProcess.StartAsync();
        var alias = TabletAliases.Create("zone1", 1);
        await topo.Server.Tablets.CreateAsync(alias, Tablet("zone1", 1), Timeout());
        var first = await topo.Server.ConnForCellAsync("zone1", Timeout());
        Assert.Same(first, await topo.Server.ConnForCellAsync("zone1", Timeout()));

        await topo.Server.CellInfos.UpdateFieldsAsync("zone1", c => c.Root = topo.CellRoot("zone1-moved"), Timeout());
        var moved = await topo.Server.ConnForCellAsync("zone1", Timeout());
        Assert.NotSame(first, moved);
        Assert.Equal(topo.CellRoot("zone1-moved"), moved.Root);
        Assert.Empty(await topo.Server.GetTabletsByCellAsync("zone1", Timeout()));

        await topo.Server.CellInfos.UpdateFieldsAsync("zone1", c => c.ServerAddress = secondEtcd.Endpoint, Timeout());
        await topo.Server.Tablets.CreateAsync(alias, Tablet("zone1", 1), Timeout());
        var elsewhere = await topo.Server.ConnForCellAsync("zone1", Timeout());
        Assert.Equal(secondEtcd.Endpoint, elsewhere.ServerAddress);
        await using var secondClient = secondEtcd.CreateClient();
        Assert.NotNull(await secondClient.GetAsync(topo.CellRoot("zone1-moved") + "/tablets/zone1-0000000001/Tablet", cancellationToken: Timeout()));
    }

    [Fact]
    public async Task An_unknown_cell_fails_with_NoNode()
    {
        await using var topo = await CreateAsync(etcd);
        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Tablets.GetAsync(TabletAliases.Create("zone9", 1), Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, e.Kind);
        Assert.Contains("cells/zone9/CellInfo", e.Message);
    }

    private static ShardReplication Nodes(params (string Cell, uint Uid)[] aliases)
    {
        var record = new ShardReplication();
        foreach (var (cell, uid) in aliases)
        {
            record.Nodes.Add(new ShardReplication.Types.Node { TabletAlias = TabletAliases.Create(cell, uid) });
        }

        return record;
    }
}

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class OversizedListTests(EtcdFixture etcd)
{
    [Fact]
    public async Task Lists_too_big_for_one_response_fall_back_to_one_read_per_record()
    {
        // 4 KiB answers: the keys fit (ListDir), the values of 30 padded records do not (List).
        await using var topo = await TestTopo.CreateAsync(etcd, new TopoServerOptions { GlobalServerAddresses = [], MaxReceiveMessageSize = 4096 });
        var padding = new string('p', 300);
        for (uint uid = 1; uid <= 30; uid++)
        {
            var tablet = TestTopo.Tablet("zone1", uid);
            tablet.Tags["padding"] = padding;
            await topo.Server.Tablets.CreateAsync(tablet.Alias, tablet, TestTopo.Timeout());
            await topo.Server.Shards.CreateAsync(("ks", $"s{uid}"), new Shard { SourceShards = { new Shard.Types.SourceShard { Keyspace = padding } } }, TestTopo.Timeout());
        }

        var tablets = await topo.Server.GetTabletsByCellAsync("zone1", TestTopo.Timeout());
        var shards = await topo.Server.GetShardsAsync("ks", TestTopo.Timeout());

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (uint)i), tablets.Select(t => t.Value.Alias.Uid));
        Assert.Equal(30, shards.Count);
        // The single-response scan really is too big, so the results above came from the fallback.
        var direct = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Global.ListAsync("keyspaces/ks/shards/", TestTopo.Timeout()));
        Assert.Equal(TopoErrorKind.ResourceExhausted, direct.Kind);
    }
}
