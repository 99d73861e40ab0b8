using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Topo;

namespace Vtorc.Cli.Tests;

/// <summary>`vtorc tablet` run in-process the way an operator runs it, against a real etcd and MariaDB.</summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public class TabletCommandTests(EtcdFixture etcd)
{
    private readonly CtlRunner _ctl = new(etcd.Endpoint);

    [Fact]
    public async Task Tablet_registers_itself_serves_until_cancelled_and_records_its_clean_shutdown()
    {
        await _ctl.OkAsync("AddCellInfo", "zone1", "--root", _ctl.CellRoot("zone1"), "--server-address", etcd.Endpoint);
        await using var mysql = await MariaDbProcess.StartAsync();
        var credentials = Path.Combine(mysql.RootDirectory, "credentials.json");
        await File.WriteAllTextAsync(credentials, $$"""{"user": "{{mysql.User}}", "password": "{{mysql.Password}}"}""");

        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = VtorcApp.RunAsync(
            ["tablet", "--cell", "zone1", "--tablet-uid", "100", "--keyspace", "commerce", "--shard", "0",
             "--mysql-host", mysql.Host, "--mysql-port", mysql.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--mysql-credentials-file", credentials,
             "--topo-global-server-address", etcd.Endpoint, "--topo-global-root", _ctl.GlobalRoot],
            output, error, stop.Token);

        await using var topo = TopoServer.Open(etcd.Endpoint, _ctl.GlobalRoot);
        var alias = TabletAliases.Create("zone1", 100);
        await Poll.UntilAsync(async () =>
        {
            Assert.False(run.IsCompleted, $"vtorc tablet exited early: {error}");
            return await topo.Tablets.TryGetAsync(alias, CancellationToken.None) is not null;
        }, TimeSpan.FromSeconds(60), "the tablet record appears");
        var tablet = (await topo.Tablets.GetAsync(alias, CancellationToken.None)).Value;
        Assert.Equal("commerce", tablet.Keyspace);
        Assert.Equal("0", tablet.Shard);
        Assert.Equal(TabletType.Replica, tablet.Type);
        Assert.True(tablet.PortMap["grpc"] > 0);
        Assert.Equal(mysql.Port, tablet.MysqlPort);
        Assert.NotNull(tablet.TabletStartTime);
        Assert.Null(tablet.TabletShutdownTime);
        Assert.Equal("none", (await topo.Keyspaces.GetAsync("commerce", CancellationToken.None)).Value.DurabilityPolicy);

        // The record appears while the agent is still starting (ShardReplication, its loops); cancelling then is the
        // "interrupted while starting" case, not this one.
        await Poll.UntilAsync(() =>
        {
            Assert.False(run.IsCompleted, $"vtorc tablet exited early: {error}");
            return Task.FromResult(output.ToString().Contains("tablet zone1-0000000100 serving on", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), "vtorc tablet reports that it serves");
        await stop.CancelAsync();
        var code = await run;
        Assert.True(code == 0, $"exit code {code}: {error}");
        var after = (await topo.Tablets.GetAsync(alias, CancellationToken.None)).Value;
        Assert.NotNull(after.TabletShutdownTime);
    }

    [Fact]
    public async Task Tablet_without_mysql_credentials_names_what_is_missing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "vtorc-no-such-credentials-" + Guid.NewGuid().ToString("N"));
        var result = await CtlRunner.RunRawAsync("tablet", "--cell", "zone1", "--tablet-uid", "101", "--keyspace", "ks", "--shard", "0",
            "--mysql-credentials-file", missing, "--topo-global-server-address", etcd.Endpoint, "--topo-global-root", _ctl.GlobalRoot);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(missing, result.Error);
    }

    [Fact]
    public async Task Tablet_help_documents_the_health_check_interval_and_its_default()
    {
        var result = await CtlRunner.RunRawAsync("tablet", "--help");
        Assert.Equal(0, result.ExitCode);
        var line = result.Output.Split('\n').FirstOrDefault(l => l.Contains("--health-check-interval", StringComparison.Ordinal));
        Assert.True(line is not null, $"no --health-check-interval in:\n{result.Output}");
        Assert.Contains("1s", result.Output[result.Output.IndexOf("--health-check-interval", StringComparison.Ordinal)..]
            .Split("\n  -", StringSplitOptions.None)[0]);
    }

    [Theory]
    [InlineData("--disk-write-dir", "stalled")]
    [InlineData("--disk-write-interval", "5s")]
    [InlineData("--disk-write-timeout", "30s")]
    [InlineData("--track-shard-tablet-health", "false")]
    [InlineData("--shard-tablet-health-interval", "1s")]
    [InlineData("--tablet-manager-grpc-ca", "CA")]
    public async Task Tablet_help_documents_vttablets_disk_stall_and_shard_peer_flags_and_their_defaults(string flag, string expected)
    {
        var result = await CtlRunner.RunRawAsync("tablet", "--help");
        Assert.Equal(0, result.ExitCode);
        var line = result.Output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(flag + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no {flag} in:\n{result.Output}");
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Tablet_with_a_missing_disk_write_dir_names_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "vtorc-no-such-dir-" + Guid.NewGuid().ToString("N"));
        var credentials = Path.GetTempFileName();
        await File.WriteAllTextAsync(credentials, """{"user": "vt_agent", "password": "unused"}""");
        CtlResult result;
        try
        {
            result = await CtlRunner.RunRawAsync("tablet", "--cell", "zone1", "--tablet-uid", "103", "--keyspace", "ks", "--shard", "0",
                "--mysql-credentials-file", credentials, "--disk-write-dir", missing,
                "--topo-global-server-address", etcd.Endpoint, "--topo-global-root", _ctl.GlobalRoot);
        }
        finally
        {
            File.Delete(credentials);
        }
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"disk write directory \"{missing}\" does not exist", result.Error);
    }

    [Fact]
    public async Task Tablet_does_not_accept_a_password_on_the_command_line()
    {
        var result = await CtlRunner.RunRawAsync("tablet", "--cell", "zone1", "--tablet-uid", "102", "--keyspace", "ks", "--shard", "0",
            "--mysql-password", "secret", "--topo-global-server-address", etcd.Endpoint);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--mysql-password", result.Error);
    }

    [Theory]
    [InlineData("--shard-tablet-health-interval", "0s", "--shard-tablet-health-interval")]
    [InlineData("--track-shard-tablet-health=maybe", null, "--track-shard-tablet-health")]
    [InlineData("--tablet-manager-grpc-crl", "crl.pem", "--tablet-manager-grpc-crl")]
    public async Task Tablet_refuses_a_bad_shard_peer_setting_naming_the_flag(string flag, string? value, string named)
    {
        var credentials = Path.GetTempFileName();
        await File.WriteAllTextAsync(credentials, """{"user": "vt_agent", "password": "unused"}""");
        CtlResult result;
        try
        {
            string[] args = ["tablet", "--cell", "zone1", "--tablet-uid", "104", "--keyspace", "ks", "--shard", "0",
                "--mysql-credentials-file", credentials, "--track-shard-tablet-health", "--topo-global-server-address", etcd.Endpoint,
                "--topo-global-root", _ctl.GlobalRoot, flag, .. value is null ? Array.Empty<string>() : [value]];
            result = await CtlRunner.RunRawAsync(args);
        }
        finally
        {
            File.Delete(credentials);
        }
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.Error);
    }
}
