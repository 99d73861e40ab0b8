using System.Text.Json.Nodes;

namespace Vtorc.Cli.Tests;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public class CtlCellAndKeyspaceTests(EtcdFixture etcd)
{
    private readonly CtlRunner _ctl = new(etcd.Endpoint);

    [Fact]
    public async Task Cell_commands_add_list_show_update_and_delete()
    {
        await _ctl.OkAsync("AddCellInfo", "zone1", "--root", _ctl.CellRoot("zone1"), "--server-address", etcd.Endpoint);
        await _ctl.OkAsync("AddCellInfo", "zone2", "--root", _ctl.CellRoot("zone2"), "--server-address", etcd.Endpoint);

        var names = await _ctl.OkAsync("GetCellInfoNames");
        Assert.Equal(["zone1", "zone2"], names.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var info = JsonNode.Parse((await _ctl.OkAsync("GetCellInfo", "zone1")).Output)!;
        Assert.Equal(_ctl.CellRoot("zone1"), (string?)info["root"]);
        Assert.Equal(etcd.Endpoint, (string?)info["server_address"]);

        await _ctl.OkAsync("UpdateCellInfo", "zone2", "--root", _ctl.CellRoot("zone2b"));
        var updated = JsonNode.Parse((await _ctl.OkAsync("GetCellInfo", "zone2")).Output)!;
        Assert.Equal(_ctl.CellRoot("zone2b"), (string?)updated["root"]);
        Assert.Equal(etcd.Endpoint, (string?)updated["server_address"]);

        await _ctl.OkAsync("DeleteCellInfo", "zone2");
        names = await _ctl.OkAsync("GetCellInfoNames");
        Assert.Equal(["zone1"], names.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Cell_errors_are_one_line_and_name_the_problem()
    {
        var missingRoot = await _ctl.RunAsync("AddCellInfo", "zone1", "--server-address", etcd.Endpoint);
        Assert.Equal(1, missingRoot.ExitCode);
        Assert.Contains("--root is required", missingRoot.Error);

        var badName = await _ctl.RunAsync("AddCellInfo", "zone/1", "--root", "/x", "--server-address", etcd.Endpoint);
        Assert.Equal(1, badName.ExitCode);
        Assert.Contains("invalid cell name \"zone/1\"", badName.Error);
        Assert.Single(badName.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var missing = await _ctl.RunAsync("GetCellInfo", "nowhere");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("cells/nowhere/CellInfo", missing.Error);

        await _ctl.OkAsync("AddCellInfo", "zone1", "--root", _ctl.CellRoot("zone1"), "--server-address", etcd.Endpoint);
        var twice = await _ctl.RunAsync("AddCellInfo", "zone1", "--root", _ctl.CellRoot("zone1"), "--server-address", etcd.Endpoint);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already exists", twice.Error);
    }

    [Fact]
    public async Task CreateKeyspace_takes_another_sidecar_database_name_and_refuses_an_empty_one()
    {
        var created = JsonNode.Parse((await _ctl.OkAsync("CreateKeyspace", "ks_sidecar", "--sidecar-db-name", "_vt_ks")).Output)!;
        Assert.Equal("_vt_ks", (string?)created["keyspace"]!["sidecar_db_name"]);
        var empty = await _ctl.RunAsync("CreateKeyspace", "ks_nosidecar", "--sidecar-db-name", "");
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("--sidecar-db-name", empty.Error);
    }

    [Fact]
    public async Task Keyspace_commands_create_show_list_and_set_durability()
    {
        var created = JsonNode.Parse((await _ctl.OkAsync("CreateKeyspace", "commerce")).Output)!;
        Assert.Equal("commerce", (string?)created["name"]);
        Assert.Equal("none", (string?)created["keyspace"]!["durability_policy"]);
        Assert.Equal("_vt", (string?)created["keyspace"]!["sidecar_db_name"]);
        var stored = JsonNode.Parse((await _ctl.OkAsync("GetKeyspace", "commerce")).Output)!;
        Assert.Equal("_vt", (string?)stored["keyspace"]!["sidecar_db_name"]);

        await _ctl.OkAsync("CreateKeyspace", "customer", "--durability-policy", "semi_sync");
        Assert.Equal(["commerce", "customer"], (await _ctl.OkAsync("GetKeyspaces")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        await _ctl.OkAsync("SetKeyspaceDurabilityPolicy", "commerce", "--durability-policy", "cross_cell");
        var shown = JsonNode.Parse((await _ctl.OkAsync("GetKeyspace", "commerce")).Output)!;
        Assert.Equal("cross_cell", (string?)shown["keyspace"]!["durability_policy"]);
    }

    [Fact]
    public async Task Unknown_durability_policy_is_rejected_naming_it_and_changes_nothing()
    {
        var create = await _ctl.RunAsync("CreateKeyspace", "ks1", "--durability-policy", "semisync");
        Assert.Equal(1, create.ExitCode);
        Assert.Contains("semisync", create.Error);
        Assert.Contains("semi_sync", create.Error); // lists what exists
        Assert.Equal("", (await _ctl.OkAsync("GetKeyspaces")).Output.Trim());

        await _ctl.OkAsync("CreateKeyspace", "ks1");
        var set = await _ctl.RunAsync("SetKeyspaceDurabilityPolicy", "ks1", "--durability-policy", "bogus");
        Assert.Equal(1, set.ExitCode);
        Assert.Contains("bogus", set.Error);
        var shown = JsonNode.Parse((await _ctl.OkAsync("GetKeyspace", "ks1")).Output)!;
        Assert.Equal("none", (string?)shown["keyspace"]!["durability_policy"]);
    }

    [Fact]
    public async Task Missing_keyspace_is_an_error_naming_its_key()
    {
        var get = await _ctl.RunAsync("GetKeyspace", "nosuch");
        Assert.Equal(1, get.ExitCode);
        Assert.Contains("keyspaces/nosuch/Keyspace", get.Error);

        var set = await _ctl.RunAsync("SetKeyspaceDurabilityPolicy", "nosuch", "--durability-policy", "none");
        Assert.Equal(1, set.ExitCode);
        Assert.Contains("nosuch", set.Error);
    }

    [Fact]
    public async Task Underscore_flag_spellings_work_like_dashes()
    {
        var result = await CtlRunner.RunRawAsync("ctl", "CreateKeyspace", "ks_u", "--durability_policy", "semi_sync",
            "--topo_global_server_address", etcd.Endpoint, "--topo_global_root", _ctl.GlobalRoot);
        Assert.True(result.ExitCode == 0, result.Error);
        var shown = JsonNode.Parse((await _ctl.OkAsync("GetKeyspace", "ks_u")).Output)!;
        Assert.Equal("semi_sync", (string?)shown["keyspace"]!["durability_policy"]);
    }

    [Fact]
    public async Task Etcd_down_fails_within_the_deadline_with_a_clear_error()
    {
        var deadPort = FreePort();
        var result = await CtlRunner.RunRawAsync("ctl", "GetKeyspaces", "--topo-global-server-address", $"127.0.0.1:{deadPort}",
            "--topo-global-root", "/x", "--remote-operation-timeout", "2s");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("vtorc ctl GetKeyspaces:", result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Missing_topo_address_and_wrong_implementation_are_named()
    {
        var noAddress = await CtlRunner.RunRawAsync("ctl", "GetKeyspaces");
        Assert.Equal(1, noAddress.ExitCode);
        Assert.Contains("--topo-global-server-address", noAddress.Error);

        var zk = await CtlRunner.RunRawAsync("ctl", "GetKeyspaces", "--topo-implementation", "zk2", "--topo-global-server-address", etcd.Endpoint);
        Assert.NotEqual(0, zk.ExitCode);
        Assert.Contains("--topo-implementation", zk.Error);
    }

    [Theory]
    [InlineData("AddCellInfo")]
    [InlineData("GetCellInfoNames")]
    [InlineData("GetCellInfo")]
    [InlineData("UpdateCellInfo")]
    [InlineData("DeleteCellInfo")]
    [InlineData("CreateKeyspace")]
    [InlineData("GetKeyspace")]
    [InlineData("GetKeyspaces")]
    [InlineData("SetKeyspaceDurabilityPolicy")]
    [InlineData("CreateShard")]
    [InlineData("GetShard")]
    [InlineData("FindAllShardsInKeyspace")]
    [InlineData("GetTablets")]
    [InlineData("GetTablet")]
    [InlineData("DeleteTablets")]
    public async Task Every_command_has_help(string command)
    {
        var result = await CtlRunner.RunRawAsync("ctl", command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(command, result.Output);
        Assert.Contains("--topo-global-server-address", result.Output);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
