using Vtorc.LocalCluster;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// Issue 12 finding 3: a restarted mysqld of a tablet that is not the shard's primary is never writable for an
/// unprivileged client, sampled from the moment it accepts connections (the local servers start read-only, as
/// docs/reliability.md asks operators to configure theirs).
/// </summary>
[NeedsExternalProcess]
public sealed class ReadOnlyUnlessPrimaryTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task A_replica_mysqld_restarted_under_its_running_agent_is_never_seen_writable()
    {
        await BuildShardAsync();
        var replica = Cluster[1];
        Assert.True((await FullStatusAsync(replica)).ReadOnly);
        await GuardSampledAsync(replica);

        // As the unprivileged account, every 10 ms, so the server is read as soon as it accepts connections again.
        await using var sampler = new ReadOnlySampler([new CheckedServer(replica.AliasText, replica.AppMySqlOptions)],
            new ReadOnlySamplerOptions { Interval = TimeSpan.FromMilliseconds(10) });
        await replica.Server.StopAsync();
        sampler.Start();
        await replica.Server.StartAgainAsync(AgentCluster.Deadline(60));
        await Poll.UntilAsync(() => Task.FromResult(sampler.Reads >= 50), TimeSpan.FromSeconds(60), "50 reads of the restarted server");
        await Poll.UntilAsync(() => Task.FromResult(replica.Agent!.RestartGuard.RestartsSeen >= 1), TimeSpan.FromSeconds(30),
            "the agent noticed the restart");
        await sampler.StopAsync();

        Assert.Equal(0L, sampler.WritableReads);
    }

    /// <summary>The agent's restart guard has sampled the running server (so it can tell a restart from it).</summary>
    internal static Task GuardSampledAsync(AgentMember member) =>
        Poll.UntilAsync(() => Task.FromResult(member.Agent!.RestartGuard.Samples >= 1), TimeSpan.FromSeconds(30),
            $"the restart guard of {member.AliasText} sampled its server");
}

/// <summary>The agent itself keeps a server read-only that its configuration would start writable.</summary>
[NeedsExternalProcess]
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
