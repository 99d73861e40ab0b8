using Google.Protobuf;
using Topodata;
using Vtorc.Protocol.Etcd;
using static Vtorc.Topo.Tests.Etcd.TestTopo;

namespace Vtorc.Topo.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class RecordTests(EtcdFixture etcd)
{
    private async Task<byte[]> RawAsync(string key)
    {
        await using var client = etcd.CreateClient();
        var kv = await client.GetAsync(key, cancellationToken: Timeout());
        Assert.NotNull(kv);
        return kv.Value.ToByteArray();
    }

    private async Task PutRawAsync(string key, byte[] value)
    {
        await using var client = etcd.CreateClient();
        await client.PutAsync(key, ByteString.CopyFrom(value), cancellationToken: Timeout());
    }

    [Fact]
    public async Task CellInfo_round_trips_and_is_stored_under_cells_with_fields_1_and_2()
    {
        await using var topo = await CreateAsync(etcd, withCells: false);
        var info = new CellInfo { ServerAddress = etcd.Endpoint, Root = "/vitess/zone9" };
        var created = await topo.Server.CellInfos.CreateAsync("zone9", info, Timeout());

        var read = await topo.Server.CellInfos.GetAsync("zone9", Timeout());
        Assert.Equal(info, read.Value);
        Assert.Equal(created.Version, read.Version);
        var raw = await RawAsync(topo.GlobalRoot + "/cells/zone9/CellInfo");
        Assert.Equal([1, 2], WireFields.Numbers(raw));
        Assert.Equal("/vitess/zone9", WireFields.Single(raw, 2).Text);
    }

    [Fact]
    public async Task Keyspace_round_trips_with_its_field_numbers()
    {
        await using var topo = await CreateAsync(etcd);
        var keyspace = new Keyspace
        {
            KeyspaceType = KeyspaceType.Snapshot,
            BaseKeyspace = "base",
            DurabilityPolicy = "semi_sync",
            SidecarDbName = "_vt",
            VtorcState = new Vtorcdata.Keyspace { DisableEmergencyReparent = true },
        };
        await topo.Server.Keyspaces.CreateAsync("commerce", keyspace, Timeout());

        Assert.Equal(keyspace, (await topo.Server.Keyspaces.GetAsync("commerce", Timeout())).Value);
        var raw = await RawAsync(topo.GlobalRoot + "/keyspaces/commerce/Keyspace");
        Assert.Equal([5, 6, 8, 10, 11], WireFields.Numbers(raw));
        Assert.Equal(1ul, WireFields.Single(raw, 5).Varint);
        Assert.Equal("semi_sync", WireFields.Single(raw, 8).Text);
        Assert.Equal(1ul, WireFields.Single(WireFields.Single(raw, 11).Bytes, 1).Varint);
    }

    [Fact]
    public async Task Shard_round_trips_with_its_field_numbers()
    {
        await using var topo = await CreateAsync(etcd);
        var shard = new Shard
        {
            PrimaryAlias = TabletAliases.Create("zone1", 101),
            KeyRange = KeyRanges.FromShardName("-80"),
            IsPrimaryServing = true,
            PrimaryTermStartTime = new Vttime.Time { Seconds = 1_700_000_000, Nanoseconds = 5 },
            VtorcState = new Vtorcdata.Shard { DisableEmergencyReparent = true },
        };
        await topo.Server.Shards.CreateAsync(("commerce", "-80"), shard, Timeout());

        Assert.Equal(shard, (await topo.Server.Shards.GetAsync(("commerce", "-80"), Timeout())).Value);
        var raw = await RawAsync(topo.GlobalRoot + "/keyspaces/commerce/shards/-80/Shard");
        Assert.Equal([1, 2, 7, 8, 9], WireFields.Numbers(raw));
        var alias = WireFields.Single(raw, 1).Bytes;
        Assert.Equal("zone1", WireFields.Single(alias, 1).Text);
        Assert.Equal(101ul, WireFields.Single(alias, 2).Varint);
        Assert.Equal(new byte[] { 0x80 }, WireFields.Single(WireFields.Single(raw, 2).Bytes, 2).Bytes);
        Assert.Equal(1_700_000_000ul, WireFields.Single(WireFields.Single(raw, 8).Bytes, 1).Varint);
    }

    [Fact]
    public async Task Tablet_round_trips_in_its_cell_with_its_field_numbers()
    {
        await using var topo = await CreateAsync(etcd);
        var tablet = Tablet("zone1", 100, shard: "80-", type: TabletType.Primary);
        tablet.KeyRange = KeyRanges.FromShardName("80-");
        tablet.DbNameOverride = "vt_x";
        tablet.Tags["a"] = "b";
        tablet.PrimaryTermStartTime = new Vttime.Time { Seconds = 42 };
        tablet.DefaultConnCollation = 45;
        tablet.TabletStartTime = new Vttime.Time { Seconds = 41 };
        await topo.Server.Tablets.CreateAsync(tablet.Alias, tablet, Timeout());

        Assert.Equal(tablet, (await topo.Server.Tablets.GetAsync(TabletAliases.Parse("zone1-100"), Timeout())).Value);
        var raw = await RawAsync(topo.CellRoot("zone1") + "/tablets/zone1-0000000100/Tablet");
        Assert.Equal([1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17], WireFields.Numbers(raw));
        Assert.Equal("host-100", WireFields.Single(raw, 2).Text);
        Assert.Equal(1ul, WireFields.Single(raw, 8).Varint);
        Assert.Equal(3306ul, WireFields.Single(raw, 13).Varint);
        var portMap = WireFields.Read(raw).Where(f => f.Number == 4)
            .Select(f => (WireFields.Single(f.Bytes, 1).Text, WireFields.Single(f.Bytes, 2).Varint))
            .OrderBy(p => p.Text, StringComparer.Ordinal);
        Assert.Equal([("grpc", 15999ul), ("vt", 15000ul)], portMap);
    }

    [Fact]
    public async Task ShardReplication_round_trips_in_its_cell_with_its_field_numbers()
    {
        await using var topo = await CreateAsync(etcd);
        var replication = new ShardReplication
        {
            Nodes =
            {
                new ShardReplication.Types.Node { TabletAlias = TabletAliases.Create("zone2", 200) },
                new ShardReplication.Types.Node { TabletAlias = TabletAliases.Create("zone2", 201) },
            },
        };
        await topo.Server.ShardReplications.CreateAsync(("zone2", "ks", "0"), replication, Timeout());

        Assert.Equal(replication, (await topo.Server.ShardReplications.GetAsync(("zone2", "ks", "0"), Timeout())).Value);
        var raw = await RawAsync(topo.CellRoot("zone2") + "/keyspaces/ks/shards/0/ShardReplication");
        var nodes = WireFields.Read(raw);
        Assert.All(nodes, n => Assert.Equal(1, n.Number));
        Assert.Equal([200ul, 201ul], nodes.Select(n => WireFields.Single(WireFields.Single(n.Bytes, 1).Bytes, 2).Varint));
    }

    [Fact]
    public async Task Unknown_fields_survive_a_read_modify_write()
    {
        await using var topo = await CreateAsync(etcd);
        var key = topo.CellRoot("zone1") + "/tablets/zone1-0000000100/Tablet";
        var known = Tablet("zone1", 100).ToByteArray();
        byte[] unknown = [.. WireFields.Tag(99, 0), .. WireFields.Varint(123456), .. WireFields.Tag(100, 2), 3, (byte)'x', (byte)'y', (byte)'z'];
        await PutRawAsync(key, [.. known, .. unknown]);

        await topo.Server.Tablets.UpdateFieldsAsync(TabletAliases.Parse("zone1-100"), t => t.Hostname = "moved", Timeout());

        var raw = await RawAsync(key);
        Assert.Equal("moved", WireFields.Single(raw, 2).Text);
        Assert.Equal(123456ul, WireFields.Single(raw, 99).Varint);
        Assert.Equal("xyz", WireFields.Single(raw, 100).Text);
    }

    [Fact]
    public async Task Creating_an_existing_record_fails_with_NodeExists_naming_the_key()
    {
        await using var topo = await CreateAsync(etcd);
        await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace(), Timeout());

        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Keyspaces.CreateAsync("ks", new Keyspace(), Timeout()));
        Assert.Equal(TopoErrorKind.NodeExists, e.Kind);
        Assert.Contains(topo.GlobalRoot + "/keyspaces/ks/Keyspace", e.Message);
    }

    [Fact]
    public async Task Updating_with_a_stale_version_fails_with_BadVersion()
    {
        await using var topo = await CreateAsync(etcd);
        var first = await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Timeout());
        var second = await topo.Server.Keyspaces.UpdateAsync("ks", new Keyspace { DurabilityPolicy = "semi_sync" }, first.Version, Timeout());
        Assert.True(second.Version > first.Version);

        var e = await Assert.ThrowsAsync<TopoException>(() =>
            topo.Server.Keyspaces.UpdateAsync("ks", new Keyspace { DurabilityPolicy = "cross_cell" }, first.Version, Timeout()));
        Assert.Equal(TopoErrorKind.BadVersion, e.Kind);
        Assert.Equal("semi_sync", (await topo.Server.Keyspaces.GetAsync("ks", Timeout())).Value.DurabilityPolicy);
    }

    [Fact]
    public async Task Updating_a_missing_record_with_a_version_fails_with_BadVersion()
    {
        await using var topo = await CreateAsync(etcd);
        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Keyspaces.UpdateAsync("nope", new Keyspace(), 5, Timeout()));
        Assert.Equal(TopoErrorKind.BadVersion, e.Kind);
    }

    [Fact]
    public async Task Reading_a_missing_record_fails_with_NoNode_and_TryGet_returns_null()
    {
        await using var topo = await CreateAsync(etcd);
        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Shards.GetAsync(("ks", "0"), Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, e.Kind);
        Assert.Contains("/keyspaces/ks/shards/0/Shard", e.Message);
        Assert.Null(await topo.Server.Shards.TryGetAsync(("ks", "0"), Timeout()));
    }

    [Fact]
    public async Task A_corrupt_value_fails_with_Corrupt_naming_the_key()
    {
        await using var topo = await CreateAsync(etcd);
        var key = topo.CellRoot("zone1") + "/tablets/zone1-0000000007/Tablet";
        await PutRawAsync(key, [0x0a, 0xff, 0x01]);

        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Tablets.GetAsync(TabletAliases.Parse("zone1-7"), Timeout()));
        Assert.Equal(TopoErrorKind.Corrupt, e.Kind);
        Assert.Contains(key, e.Message);
        var listed = await Assert.ThrowsAsync<TopoException>(() => topo.Server.GetTabletsByCellAsync("zone1", Timeout()));
        Assert.Equal(TopoErrorKind.Corrupt, listed.Kind);
        Assert.Contains(key, listed.Message);
    }

    [Fact]
    public async Task A_tolerant_cell_listing_skips_a_corrupt_record_and_reports_its_alias_and_key()
    {
        await using var topo = await CreateAsync(etcd);
        await topo.Server.CreateTabletAsync(new Tablet
        {
            Alias = TabletAliases.Parse("zone1-8"), Keyspace = "ks", Shard = "0", Type = TabletType.Replica, Hostname = "h8",
        }, Timeout());
        var key = topo.CellRoot("zone1") + "/tablets/zone1-0000000007/Tablet";
        await PutRawAsync(key, [0x0a, 0xff, 0x01]);
        var reported = new List<(string Alias, TopoException Error)>();

        var listed = await topo.Server.GetTabletsByCellAsync("zone1", (alias, error) => reported.Add((alias, error)), Timeout());

        Assert.Equal("zone1-0000000008", Assert.Single(listed).Value.Alias.ToText());
        var (alias, error) = Assert.Single(reported);
        Assert.Equal("zone1-0000000007", alias);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task Delete_honours_the_version()
    {
        await using var topo = await CreateAsync(etcd);
        var record = await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace(), Timeout());

        var stale = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Keyspaces.DeleteAsync("ks", record.Version - 1, Timeout()));
        Assert.Equal(TopoErrorKind.BadVersion, stale.Kind);
        await topo.Server.Keyspaces.DeleteAsync("ks", record.Version, Timeout());
        Assert.Null(await topo.Server.Keyspaces.TryGetAsync("ks", Timeout()));

        var gone = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Keyspaces.DeleteAsync("ks", record.Version, Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, gone.Kind);
        var goneUnversioned = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Keyspaces.DeleteAsync("ks", null, Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, goneUnversioned.Kind);
    }

    [Fact]
    public async Task UpdateFields_skips_the_write_when_nothing_changes()
    {
        await using var topo = await CreateAsync(etcd);
        var record = await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Timeout());

        var after = await topo.Server.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "none", Timeout());

        Assert.Equal(record.Version, after.Version);
        Assert.Equal(record.Version, (await topo.Server.Keyspaces.GetAsync("ks", Timeout())).Version);
    }

    [Fact]
    public async Task UpdateFields_retries_on_a_concurrent_write_and_keeps_both_changes()
    {
        await using var topo = await CreateAsync(etcd);
        var alias = TabletAliases.Parse("zone1-5");
        await topo.Server.Tablets.CreateAsync(alias, Tablet("zone1", 5), Timeout());
        var calls = 0;

        var result = await topo.Server.Tablets.UpdateFieldsAsync(alias, t =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Another writer slips in between our read and our write.
                topo.Server.Tablets.UpdateFieldsAsync(alias, o => o.MysqlPort = 3307, Timeout()).GetAwaiter().GetResult();
            }

            t.Type = TabletType.Rdonly;
        }, Timeout());

        Assert.Equal(2, calls);
        var stored = (await topo.Server.Tablets.GetAsync(alias, Timeout())).Value;
        Assert.Equal(TabletType.Rdonly, stored.Type);
        Assert.Equal(3307, stored.MysqlPort);
        Assert.Equal(stored, result.Value);
    }

    [Fact]
    public async Task Invalid_names_are_refused_before_any_etcd_call()
    {
        await using var topo = await CreateAsync(etcd);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => topo.Server.Keyspaces.GetAsync("a/b", Timeout()));
        Assert.Contains("\"a/b\"", e.Message);
        await Assert.ThrowsAsync<FormatException>(() => topo.Server.Shards.GetAsync(("ks", "80-40"), Timeout()));
    }

    [Fact]
    public async Task Watch_yields_the_current_value_then_changes_and_ends_with_NoNode_on_delete()
    {
        await using var topo = await CreateAsync(etcd);
        await topo.Server.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Timeout());
        var seen = new List<string>();

        var e = await Assert.ThrowsAsync<TopoException>(async () =>
        {
            await foreach (var record in topo.Server.Keyspaces.WatchAsync("ks", Timeout()))
            {
                seen.Add(record.Value.DurabilityPolicy);
                switch (record.Value.DurabilityPolicy)
                {
                    case "none":
                        await topo.Server.Keyspaces.UpdateFieldsAsync("ks", k => k.DurabilityPolicy = "semi_sync", Timeout());
                        break;
                    case "semi_sync":
                        await topo.Server.Keyspaces.DeleteAsync("ks", null, Timeout());
                        break;
                }
            }
        });

        Assert.Equal(TopoErrorKind.NoNode, e.Kind);
        Assert.Equal(["none", "semi_sync"], seen);
    }
}
