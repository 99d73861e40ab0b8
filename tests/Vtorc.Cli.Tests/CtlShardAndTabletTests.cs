using System.Text.Json.Nodes;
using Topodata;
using Vtorc.Topo;

namespace Vtorc.Cli.Tests;

[Collection(EtcdCollection.Name)]
public class CtlShardAndTabletTests(EtcdFixture etcd)
{
    private readonly CtlRunner _ctl = new(etcd.Endpoint);

    [Fact]
    public async Task Shard_commands_create_show_and_list()
    {
        await _ctl.OkAsync("CreateKeyspace", "customer");
        var created = JsonNode.Parse((await _ctl.OkAsync("CreateShard", "customer/-80")).Output)!;
        Assert.Equal("-80", (string?)created["name"]);
        await _ctl.OkAsync("CreateShard", "customer/80-");

        var shown = JsonNode.Parse((await _ctl.OkAsync("GetShard", "customer/-80")).Output)!;
        Assert.Equal("customer", (string?)shown["keyspace"]);
        Assert.True((bool?)shown["shard"]!["is_primary_serving"]);

        var all = JsonNode.Parse((await _ctl.OkAsync("FindAllShardsInKeyspace", "customer")).Output)!;
        var shards = all["shards"]!.AsObject();
        Assert.Equal(["-80", "80-"], shards.Select(s => s.Key).ToArray());
    }

    [Fact]
    public async Task Shard_errors_name_the_bad_input()
    {
        var noKeyspace = await _ctl.RunAsync("CreateShard", "nosuch/0");
        Assert.Equal(1, noKeyspace.ExitCode);
        Assert.Contains("nosuch", noKeyspace.Error);

        var badSpec = await _ctl.RunAsync("GetShard", "commerce");
        Assert.Equal(1, badSpec.ExitCode);
        Assert.Contains("expected keyspace/shard", badSpec.Error);

        await _ctl.OkAsync("CreateKeyspace", "ks");
        var badRange = await _ctl.RunAsync("CreateShard", "ks/80-40");
        Assert.Equal(1, badRange.ExitCode);
        Assert.Contains("80-40", badRange.Error);
    }

    [Fact]
    public async Task GetTablets_prints_an_aligned_table_json_and_filters()
    {
        await using var topo = await SeedAsync();

        var table = (await _ctl.OkAsync("GetTablets")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, table.Length);
        Assert.StartsWith("ALIAS", table[0]);
        Assert.StartsWith("zone1-0000000100", table[1]);
        Assert.Contains("primary", table[1]);
        Assert.Contains("host-100:15999", table[1]);
        Assert.EndsWith("2025-10-09T08:53:20Z", table[1]);
        // Vitess's lower-case type names, never the MASTER/BATCH aliases the enum shares numbers with.
        Assert.Contains(" replica ", table[2]);
        Assert.Contains(" rdonly ", table[3]);
        // Aligned: every row has its KEYSPACE column at the same offset.
        var column = table[0].IndexOf("KEYSPACE", StringComparison.Ordinal);
        Assert.All(table.Skip(1), row => Assert.Equal("commerce", row.Substring(column, 8)));

        var json = JsonNode.Parse((await _ctl.OkAsync("GetTablets", "--json", "--cell", "zone2")).Output)!.AsArray();
        var only = Assert.Single(json);
        Assert.Equal("zone2", (string?)only!["alias"]!["cell"]);

        var byShard = (await _ctl.OkAsync("GetTablets", "--keyspace", "commerce", "--shard", "0")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, byShard.Length);

        var none = (await _ctl.OkAsync("GetTablets", "--keyspace", "other")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(none);

        var shardWithoutKeyspace = await _ctl.RunAsync("GetTablets", "--shard", "0");
        Assert.Equal(1, shardWithoutKeyspace.ExitCode);
        Assert.Contains("--shard needs --keyspace", shardWithoutKeyspace.Error);
    }

    [Fact]
    public async Task GetTablet_shows_one_record_and_names_a_bad_alias()
    {
        await using var topo = await SeedAsync();
        var tablet = JsonNode.Parse((await _ctl.OkAsync("GetTablet", "zone1-101")).Output)!;
        Assert.Equal(101, (int?)tablet["alias"]!["uid"]);
        Assert.Equal("REPLICA", (string?)tablet["type"]);

        var bad = await _ctl.RunAsync("GetTablet", "zone1_x");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("zone1_x", bad.Error);

        var missing = await _ctl.RunAsync("GetTablet", "zone1-0000000999");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("zone1-0000000999", missing.Error);
    }

    [Fact]
    public async Task DeleteTablets_refuses_a_primary_unless_allowed_and_then_clears_the_shard_primary()
    {
        await using var topo = await SeedAsync();

        var refused = await _ctl.RunAsync("DeleteTablets", "zone1-0000000101", "zone1-0000000100");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("zone1-0000000100", refused.Error);
        Assert.Contains("--allow-primary", refused.Error);
        // The replica named before the primary was deleted; the primary was not.
        Assert.Null(await topo.Tablets.TryGetAsync(TabletAliases.Create("zone1", 101), CancellationToken.None));
        Assert.NotNull(await topo.Tablets.TryGetAsync(TabletAliases.Create("zone1", 100), CancellationToken.None));

        await _ctl.OkAsync("DeleteTablets", "zone1-0000000100", "--allow-primary");
        Assert.Null(await topo.Tablets.TryGetAsync(TabletAliases.Create("zone1", 100), CancellationToken.None));
        var shard = (await topo.Shards.GetAsync(("commerce", "0"), CancellationToken.None)).Value;
        Assert.Null(shard.PrimaryAlias);
        Assert.NotNull(shard.PrimaryTermStartTime);
    }

    [Fact]
    public async Task DeleteTablets_with_a_malformed_alias_deletes_nothing()
    {
        await using var topo = await SeedAsync();
        var result = await _ctl.RunAsync("DeleteTablets", "zone1-0000000101", "not an alias");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not an alias", result.Error);
        Assert.NotNull(await topo.Tablets.TryGetAsync(TabletAliases.Create("zone1", 101), CancellationToken.None));
    }

    /// <summary>commerce/0 with a primary (zone1-100), a replica (zone1-101), an rdonly in zone2 (zone2-200).</summary>
    private async Task<TopoServer> SeedAsync()
    {
        await _ctl.OkAsync("AddCellInfo", "zone1", "--root", _ctl.CellRoot("zone1"), "--server-address", etcd.Endpoint);
        await _ctl.OkAsync("AddCellInfo", "zone2", "--root", _ctl.CellRoot("zone2"), "--server-address", etcd.Endpoint);
        await _ctl.OkAsync("CreateKeyspace", "commerce");
        await _ctl.OkAsync("CreateShard", "commerce/0");
        var topo = TopoServer.Open(etcd.Endpoint, _ctl.GlobalRoot);
        var term = new Vttime.Time { Seconds = 1_760_000_000 };
        await topo.CreateTabletAsync(Tablet("zone1", 100, TabletType.Primary, term), CancellationToken.None);
        await topo.CreateTabletAsync(Tablet("zone1", 101, TabletType.Replica), CancellationToken.None);
        await topo.CreateTabletAsync(Tablet("zone2", 200, TabletType.Rdonly), CancellationToken.None);
        await topo.Shards.UpdateFieldsAsync(("commerce", "0"), s =>
        {
            s.PrimaryAlias = TabletAliases.Create("zone1", 100);
            s.PrimaryTermStartTime = term;
        }, CancellationToken.None);
        return topo;
    }

    private static Tablet Tablet(string cell, uint uid, TabletType type, Vttime.Time? term = null) => new()
    {
        Alias = TabletAliases.Create(cell, uid),
        Hostname = $"host-{uid}",
        Keyspace = "commerce",
        Shard = "0",
        Type = type,
        MysqlHostname = "127.0.0.1",
        MysqlPort = 3306,
        PortMap = { ["grpc"] = 15999 },
        PrimaryTermStartTime = term,
    };
}
