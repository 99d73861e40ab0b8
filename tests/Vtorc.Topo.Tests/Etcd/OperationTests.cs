using Topodata;
using static Vtorc.Topo.Tests.Etcd.TestTopo;

namespace Vtorc.Topo.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class OperationTests(EtcdFixture etcd)
{
    [Fact]
    public async Task CreateShard_sets_the_key_range_and_serves_only_without_overlap()
    {
        await using var topo = await CreateAsync(etcd);
        await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace(), Timeout());

        var first = await topo.Server.CreateShardAsync("ks", "-80", Timeout());
        var second = await topo.Server.CreateShardAsync("ks", "80-", Timeout());
        var overlapping = await topo.Server.CreateShardAsync("ks", "40-C0", Timeout());

        Assert.True(first.Value.IsPrimaryServing);
        Assert.Equal("-80", first.Value.KeyRange.ToText());
        Assert.True(second.Value.IsPrimaryServing);
        Assert.False(overlapping.Value.IsPrimaryServing);
        Assert.Equal(["-80", "40-c0", "80-"], (await topo.Server.GetShardsAsync("ks", Timeout())).Keys);
        Assert.Empty(await topo.Server.Locks.GetQueueAsync(TopoLocks.KeyspacePath("ks"), Timeout()));
    }

    [Fact]
    public async Task CreateShard_of_an_unsharded_keyspace_has_no_key_range()
    {
        await using var topo = await CreateAsync(etcd);
        await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace(), Timeout());

        var shard = await topo.Server.CreateShardAsync("ks", "0", Timeout());

        Assert.Null(shard.Value.KeyRange);
        Assert.True(shard.Value.IsPrimaryServing);
    }

    [Fact]
    public async Task CreateShard_in_a_missing_keyspace_fails_with_NoNode()
    {
        await using var topo = await CreateAsync(etcd);
        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.CreateShardAsync("ghost", "0", Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, e.Kind);
        Assert.Contains("keyspaces/ghost", e.Message);
    }

    [Fact]
    public async Task CreateTablet_lists_the_tablet_in_ShardReplication_and_DeleteTablet_removes_it()
    {
        await using var topo = await CreateAsync(etcd);
        await topo.Server.CreateTabletAsync(Tablet("zone1", 1), Timeout());
        await topo.Server.CreateTabletAsync(Tablet("zone1", 2), Timeout());
        await topo.Server.UpdateTabletReplicationDataAsync(Tablet("zone1", 2), Timeout());

        var replication = await topo.Server.ShardReplications.GetAsync(("zone1", "ks", "0"), Timeout());
        Assert.Equal(["zone1-0000000001", "zone1-0000000002"], replication.Value.Nodes.Select(n => n.TabletAlias.ToText()));

        await topo.Server.DeleteTabletAsync(TabletAliases.Create("zone1", 1), Timeout());

        Assert.Null(await topo.Server.Tablets.TryGetAsync(TabletAliases.Create("zone1", 1), Timeout()));
        replication = await topo.Server.ShardReplications.GetAsync(("zone1", "ks", "0"), Timeout());
        Assert.Equal(["zone1-0000000002"], replication.Value.Nodes.Select(n => n.TabletAlias.ToText()));
        var missing = await Assert.ThrowsAsync<TopoException>(() => topo.Server.DeleteTabletAsync(TabletAliases.Create("zone1", 1), Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, missing.Kind);
    }

    [Fact]
    public async Task UpdateOrCreateFields_creates_a_missing_record_then_updates_it()
    {
        await using var topo = await CreateAsync(etcd);
        var created = await topo.Server.Keyspaces.UpdateOrCreateFieldsAsync("ks", k => k.DurabilityPolicy = "none", Timeout());
        var updated = await topo.Server.Keyspaces.UpdateOrCreateFieldsAsync("ks", k => k.SidecarDbName = "_vt", Timeout());

        Assert.Equal("none", created.Value.DurabilityPolicy);
        Assert.True(updated.Version > created.Version);
        var stored = (await topo.Server.Keyspaces.GetAsync("ks", Timeout())).Value;
        Assert.Equal(("none", "_vt"), (stored.DurabilityPolicy, stored.SidecarDbName));
    }
}
