using System.CommandLine;
using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.Cli.Local;
using Vtorc.LocalCluster;
using Vtorc.Topo;

namespace Vtorc.Cli.Tests;

/// <summary>
/// One real local cluster for the whole class (started by `vtorc local up` in-process; its processes are detached
/// `vtorc`, mariadbd and etcd processes): up, up again, kill the primary, down. Disposing runs `down` whatever happened.
/// </summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "vtorc-local-" + Guid.NewGuid().ToString("N")[..8]);

    public int HttpPort { get; } = LoopbackPorts.PickFree(1)[0];

    public LocalRunResult Up { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync() =>
        Up = await LocalRunner.RunAsync(TimeSpan.FromMinutes(4), "local", "up", "--dir", Directory, "--port", HttpPort.ToString(CultureInfo.InvariantCulture),
            "--tablets", "3", "--instance-poll-time", "1s");

    public async Task DisposeAsync()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            await LocalRunner.RunAsync(TimeSpan.FromMinutes(2), "local", "down", "--dir", Directory);
        }
    }
}

public sealed record LocalRunResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs `vtorc local …` in-process through a command tree holding <see cref="LocalCommand"/>.</summary>
public static class LocalRunner
{
    public static async Task<LocalRunResult> RunAsync(TimeSpan deadline, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand("test") { LocalCommand.Build(output, error) };
        using var timeout = new CancellationTokenSource(deadline);
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, timeout.Token);
        return new LocalRunResult(code, output.ToString(), error.ToString());
    }
}

[NeedsExternalProcess]
public sealed class LocalCommandTests(LocalClusterFixture cluster) : IClassFixture<LocalClusterFixture>
{
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Up_elects_a_primary_through_the_orchestrator_then_kill_fails_over_and_down_stops_every_process()
    {
        Assert.True(cluster.Up.ExitCode == 0, cluster.Up.ToString());
        var state = LocalClusterState.TryLoad(cluster.Directory);
        Assert.NotNull(state);
        Assert.Equal(3, state.Tablets.Count);
        Assert.All(state.Processes, p => Assert.True(p.IsAlive, $"{p.Kind} {p.Name} (pid {p.Pid}) is not running after up"));

        // The orchestrator elected a primary: the topo names it, its mysqld is writable, the others replicate from it.
        var primary = await ShardPrimaryAsync(state);
        Assert.NotNull(primary);
        Assert.Contains($"primary {primary}", cluster.Up.Output);
        Assert.False(await IsReadOnlyAsync(state, primary));
        foreach (var replica in state.Tablets.Where(t => t.Alias != primary))
        {
            Assert.True(await ReplicatesFromAsync(state, replica.Alias, primary), $"{replica.Alias} does not replicate from {primary}");
        }

        var status = await LocalRunner.RunAsync(TimeSpan.FromMinutes(1), "local", "status", "--dir", cluster.Directory);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"shard commerce/0: primary {primary}", status.Output);

        var again = await LocalRunner.RunAsync(TimeSpan.FromMinutes(1), "local", "up", "--dir", cluster.Directory, "--port", "0");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already running", again.Error);
        Assert.Contains("vtorc local down", again.Error);

        var unknown = await LocalRunner.RunAsync(TimeSpan.FromMinutes(1), "local", "kill", "zone9-0000000999", "--dir", cluster.Directory);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("\"zone9-0000000999\"", unknown.Error);
        Assert.Contains(primary, unknown.Error);

        var kill = await LocalRunner.RunAsync(TimeSpan.FromMinutes(1), "local", "kill", primary, "--dir", cluster.Directory);
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Assert.False(state.Find(LocalProcessKinds.MySqld, primary)!.IsAlive);

        string? newPrimary = null;
        await Poll.UntilAsync(async () =>
        {
            var result = await LocalRunner.RunAsync(TimeSpan.FromMinutes(1), "local", "status", "--dir", cluster.Directory);
            var current = await ShardPrimaryAsync(state);
            if (result.ExitCode != 0 || current is null || current == primary || !result.Output.Contains($"shard commerce/0: primary {current}", StringComparison.Ordinal))
            {
                return false;
            }
            var others = state.Tablets.Where(t => t.Alias != primary && t.Alias != current);
            if (await IsReadOnlyAsync(state, current) || !(await Task.WhenAll(others.Select(o => ReplicatesFromAsync(state, o.Alias, current)))).All(x => x))
            {
                return false;
            }
            newPrimary = current;
            return true;
        }, FailoverDeadline, $"the orchestrator promotes another tablet than {primary} and the remaining replica follows it");
        Assert.NotEqual(primary, newPrimary);

        var down = await LocalRunner.RunAsync(TimeSpan.FromMinutes(2), "local", "down", "--dir", cluster.Directory);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.All(state.Processes, p => Assert.False(p.IsAlive, $"{p.Kind} {p.Name} (pid {p.Pid}) still runs after down"));
        Assert.False(Directory.Exists(cluster.Directory));
        Assert.Contains("removed " + cluster.Directory, down.Output);

        var downAgain = await LocalRunner.RunAsync(TimeSpan.FromMinutes(1), "local", "down", "--dir", cluster.Directory);
        Assert.Equal(0, downAgain.ExitCode);
        Assert.Contains("nothing to stop", downAgain.Output);
    }

    [Fact]
    public async Task Status_without_a_cluster_exits_1_naming_the_directory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vtorc-local-none-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await LocalRunner.RunAsync(TimeSpan.FromSeconds(30), "local", "status", "--dir", dir);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(dir, result.Error);
        Assert.Contains("no local cluster", result.Error);
    }

    [Fact]
    public async Task Up_with_an_unknown_durability_policy_names_the_flag_and_starts_nothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vtorc-local-bad-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await LocalRunner.RunAsync(TimeSpan.FromSeconds(30), "local", "up", "--dir", dir, "--durability", "sometimes");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--durability \"sometimes\"", result.Error);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("--rdonly=3", "--rdonly \"3\"")]
    [InlineData("--recovery-period-block-duration=soon", "--recovery-period-block-duration \"soon\"")]
    public async Task Up_with_a_bad_option_names_it_and_starts_nothing(string option, string named)
    {
        var dir = Path.Combine(Path.GetTempPath(), "vtorc-local-bad-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await LocalRunner.RunAsync(TimeSpan.FromSeconds(30), "local", "up", "--dir", dir, "--tablets", "3", option);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(named, result.Error);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Up_refuses_orchestrator_arguments_that_are_not_flags()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vtorc-local-bad-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await LocalRunner.RunAsync(TimeSpan.FromSeconds(30), "local", "up", "--dir", dir, "--", "prevent-cross-cell-failover");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"prevent-cross-cell-failover\" after -- is not a flag", result.Error);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Down_refuses_to_remove_a_directory_without_a_state_file()
    {
        var dir = Directory.CreateTempSubdirectory("vtorc-local-foreign-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "keep.txt"), "not ours");
            var result = await LocalRunner.RunAsync(TimeSpan.FromSeconds(30), "local", "down", "--dir", dir);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(LocalClusterState.FileName, result.Error);
            Assert.True(File.Exists(Path.Combine(dir, "keep.txt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string?> ShardPrimaryAsync(LocalClusterState state)
    {
        await using var topo = TopoServer.Open(state.EtcdEndpoint, state.GlobalRoot);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var shard = await topo.Shards.GetAsync((state.Keyspace, "0"), timeout.Token);
        return shard.Value.PrimaryAlias?.ToText();
    }

    private static async Task<MySqlRow?> QueryRowAsync(LocalClusterState state, string alias, string sql)
    {
        var tablet = state.FindTablet(alias) ?? throw new InvalidOperationException($"no tablet {alias}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var connection = await MySqlCalls.OpenAsync(new MySqlConnectionOptions
        {
            Host = "127.0.0.1",
            Port = tablet.MySqlPort,
            User = state.MySqlUser,
            Password = state.MySqlPassword,
        }, timeout.Token);
        return (await connection.QueryAsync(sql, timeout.Token)).SingleRowOrDefault();
    }

    private static async Task<bool> IsReadOnlyAsync(LocalClusterState state, string alias) =>
        (await QueryRowAsync(state, alias, "SELECT @@global.read_only"))?[0] == "1";

    private static async Task<bool> ReplicatesFromAsync(LocalClusterState state, string alias, string source)
    {
        var status = await QueryRowAsync(state, alias, "SHOW SLAVE STATUS");
        return status is not null && status["Slave_IO_Running"] == "Yes" && status["Slave_SQL_Running"] == "Yes"
            && status["Master_Port"] == state.FindTablet(source)!.MySqlPort.ToString(CultureInfo.InvariantCulture);
    }
}
