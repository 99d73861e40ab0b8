using Vtorc.LocalCluster;
using Vtorc.Testing;
using Xunit.Abstractions;
using Vtorc.Protocol;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// --track-shard-tablet-health on real agents, seen through FullStatus (fields 25 and 26): a replica reports its Pings of
/// the primary the shard record names; the primary reports nothing; and when the primary's agent dies (its mysqld
/// still running), the replica's consecutive failures grow.
/// </summary>
public sealed class ShardPeerMonitorTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    protected override int Size => 2;

    [Fact]
    public async Task A_replica_reports_its_pings_of_the_shard_primary_and_counts_failures_once_the_primary_agent_is_gone()
    {
        var (primary, replica) = (Cluster[0], Cluster[1]);
        await InitPrimaryAsync(primary);
        await ReplicateFromAsync(replica, primary);
        // Before tracking: field 25 is there, field 26 is not.
        var untracked = await FullStatusAsync(replica);
        Assert.Equal(Topodata.TabletType.Replica, untracked.TabletType);
        Assert.Empty(untracked.ShardPeerHealth);

        await Cluster.Topo.Shards.UpdateFieldsAsync((AgentCluster.Keyspace, AgentCluster.Shard), s => s.PrimaryAlias = primary.Alias, AgentCluster.Deadline());
        foreach (var member in new[] { primary, replica })
        {
            member.ConfigureAgent = o => o with { TrackShardTabletHealth = true, ShardTabletHealthInterval = TimeSpan.FromMilliseconds(200) };
            await member.StopAgentAsync();
            await member.StartAgentAsync(AgentCluster.Deadline());
        }

        await Poll.UntilAsync(async () => (await FullStatusAsync(replica)).ShardPeerHealth is [{ LastSuccessfulPing: not null } entry]
                && entry.TabletAlias.Equals(primary.Alias) && entry.ConsecutivePingFailures == 0,
            Deadline, "the replica reports answered Pings of the primary");
        var fromPrimary = await FullStatusAsync(primary);
        Assert.Equal(Topodata.TabletType.Primary, fromPrimary.TabletType);
        Assert.Empty(fromPrimary.ShardPeerHealth);
        Assert.Equal(0, primary.Agent!.ShardPeers!.Pings);

        await primary.KillAgentAsync();
        await Poll.UntilAsync(async () => (await FullStatusAsync(replica)).ShardPeerHealth is [{ ConsecutivePingFailures: >= 3 }],
            Deadline, "the replica counts failed Pings of the primary whose agent is gone");
        var entry = Assert.Single((await FullStatusAsync(replica)).ShardPeerHealth);
        Assert.NotNull(entry.LastSuccessfulPing);
        Assert.True(VtTime.Compare(entry.LastAttemptedPing, entry.LastSuccessfulPing) > 0);
        Assert.NotNull(entry.TimeSinceLastAttemptedPing);
    }
}
