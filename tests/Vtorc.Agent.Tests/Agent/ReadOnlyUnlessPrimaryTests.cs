using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// Issue 12 finding 3: a restarted mysqld of a tablet that is not the shard's primary is never writable for an
/// unprivileged client, sampled from the moment it accepts connections (the local servers start read-only, as
/// docs/reliability.md asks operators to configure theirs).
/// </summary>
public sealed class ReadOnlyUnlessPrimaryTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task A_replica_mysqld_restarted_under_its_running_agent_is_never_seen_writable()
    {
        await BuildShardAsync();
        var replica = Cluster[1];
        Assert.True((await FullStatusAsync(replica)).ReadOnly);
        await GuardSampledAsync(replica);

        await using var sampler = new ReadOnlySampler(replica.AppMySqlOptions);
        await replica.Server.StopAsync();
        sampler.Start();
        await replica.Server.StartAgainAsync(AgentCluster.Deadline(60));
        await Poll.UntilAsync(() => Task.FromResult(sampler.Reads >= 50), TimeSpan.FromSeconds(60), "50 reads of the restarted server");
        await Poll.UntilAsync(() => Task.FromResult(replica.Agent!.RestartGuard.RestartsSeen >= 1), TimeSpan.FromSeconds(30),
            "the agent noticed the restart");
        await sampler.StopAsync();

        Assert.Equal(0, sampler.WritableReads);
    }

    /// <summary>The agent's restart guard has sampled the running server (so it can tell a restart from it).</summary>
    internal static Task GuardSampledAsync(AgentMember member) =>
        Poll.UntilAsync(() => Task.FromResult(member.Agent!.RestartGuard.Samples >= 1), TimeSpan.FromSeconds(30),
            $"the restart guard of {member.AliasText} sampled its server");

    /// <summary>Reads @@global.read_only as the unprivileged account as fast as it can, reconnecting while the server is down.</summary>
    private sealed class ReadOnlySampler(MySqlConnectionOptions options) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;
        private int _reads;
        private int _writable;

        public int Reads => Volatile.Read(ref _reads);

        public int WritableReads => Volatile.Read(ref _writable);

        public void Start() => _loop = Task.Run(async () =>
        {
            MySqlConnection? connection = null;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    connection ??= await MySqlConnection.OpenAsync(options with { ConnectTimeout = TimeSpan.FromSeconds(1) }, deadline.Token);
                    var result = await connection.QueryAsync("SELECT @@global.read_only", deadline.Token);
                    if (result.Rows[0][0] == "0")
                    {
                        Interlocked.Increment(ref _writable);
                    }
                    Interlocked.Increment(ref _reads);
                }
                catch (Exception e) when (e is MySqlException or OperationCanceledException)
                {
                    connection?.Dispose();
                    connection = null;
                    // The server is down or starting: try again at once (it must be sampled as soon as it answers).
                    await Task.Delay(TimeSpan.FromMilliseconds(10));
                }
            }
            connection?.Dispose();
        });

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            if (_loop is not null)
            {
                await _loop;
            }
        }

        public async ValueTask DisposeAsync() => await StopAsync();
    }
}

/// <summary>The agent itself keeps a server read-only that its configuration would start writable.</summary>
public sealed class ReadOnlyGuardTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    protected override IReadOnlyList<string> MariaDbArguments => [.. base.MariaDbArguments, "--read-only=OFF"];

    [Fact]
    public async Task Agents_make_servers_configured_writable_read_only_at_start()
    {
        foreach (var member in Cluster.Members)
        {
            Assert.True((await FullStatusAsync(member)).ReadOnly, $"{member.AliasText} is read-only after its agent started");
        }
    }

    [Fact]
    public async Task A_replica_mysqld_that_restarts_writable_is_made_read_only_by_its_agent_and_the_primary_is_left_writable()
    {
        await BuildShardAsync();
        var replica = Cluster[1];
        await ReadOnlyUnlessPrimaryTests.GuardSampledAsync(replica);
        await replica.Server.StopAsync();
        await replica.Server.StartAgainAsync(AgentCluster.Deadline(60));

        await Poll.UntilAsync(async () => (await FullStatusAsync(replica)).ReadOnly, TimeSpan.FromSeconds(30), "the restarted replica is read-only");
        Assert.True(replica.Agent!.RestartGuard.RestartsSeen >= 1);
        Assert.False((await FullStatusAsync(Cluster[0])).ReadOnly);
    }
}
