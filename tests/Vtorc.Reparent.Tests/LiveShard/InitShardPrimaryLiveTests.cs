using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.LiveShard;

[NeedsExternalProcess]
public sealed class InitShardPrimaryLiveTests(ITestOutputHelper output) : LiveShardTest(output)
{
    [Fact]
    public async Task Init_shard_primary_on_a_fresh_shard_makes_one_writable_primary_that_the_others_replicate_from()
    {
        var cluster = await StartClusterAsync();
        Assert.Null((await cluster.ShardRecordAsync()).PrimaryAlias);

        var result = await Prs().InitShardPrimaryAsync(Keyspace, Shard, null, WaitReplicasTimeout, Progress(), cancellationToken: AgentCluster.Deadline(60));

        var primary = cluster.Members.Single(m => m.AliasText == result.NewPrimary);
        await AssertPrimaryAndReplicasAsync(primary);
        // The replicas really apply the primary's writes.
        await ExecuteAsync(primary, "CREATE DATABASE init_check");
        foreach (var replica in cluster.Members.Where(m => m != primary))
        {
            await Poll.UntilAsync(async () =>
            {
                using var connection = await replica.OpenMySqlAsync();
                return (await connection.QueryAsync("SHOW DATABASES LIKE 'init_check'", AgentCluster.Deadline())).Rows.Count == 1;
            }, TimeSpan.FromSeconds(30), $"{replica.AliasText} has the database created on the primary");
        }
    }
}
