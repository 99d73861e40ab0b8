using Topodata;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Grpc.Core;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// A PRIMARY tablet's own shard-sync loop (docs/reliability.md, "A primary fences itself"), on real MariaDB and etcd.
/// Issue 12, chaos fault IsolatePrimary: a healed isolated primary stayed writable next to the new one for ~14 s,
/// because nothing but the orchestrator fenced it and the orchestrator's connection to it was still stuck.
/// </summary>
[NeedsExternalProcess]
public sealed class ShardSyncTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    private readonly ITestOutputHelper _output = output;

    private const int ReadOnlyError = 1290;

    [Fact]
    public async Task A_primary_cut_off_from_the_topology_and_every_peer_fences_itself_and_stays_primary_in_the_topology()
    {
        await BuildShardAsync(semiSync: true);
        var primary = Cluster[0];
        await InsertRowsAsync(primary, 1);
        await PeersKnownAsync(primary);

        await using (await LoopbackPortBlock.DropAsync([Cluster.Etcd.ClientPort, Cluster[1].GrpcPort, Cluster[2].GrpcPort], AgentCluster.Deadline()))
        {
            await Poll.UntilAsync(async () => (await FullStatusWhileConnectionsAreKilledAsync(primary, _output))?.ReadOnly == true,
                TimeSpan.FromSeconds(30), "the cut-off primary is read-only");
            Assert.Equal(1, primary.Agent!.ShardSync.IsolationFences);
            Assert.Equal(TabletType.Primary, primary.Agent.CurrentType);
            using var app = await MySqlCalls.OpenAsync(primary.AppMySqlOptions, AgentCluster.Deadline());
            var refused = await Assert.ThrowsAsync<MySqlCallException>(() => app.ExecuteAsync("INSERT INTO test.t (note) VALUES ('isolated')", AgentCluster.Deadline()));
            Assert.Equal(ReadOnlyError, refused.Number);
        }
    }

    [Fact]
    public async Task A_primary_that_loses_only_the_topology_but_reaches_a_peer_stays_writable()
    {
        await BuildShardAsync(semiSync: true);
        var primary = Cluster[0];
        await PeersKnownAsync(primary);
        var sync = primary.Agent!.ShardSync;

        await using (await LoopbackPortBlock.DropAsync([Cluster.Etcd.ClientPort], AgentCluster.Deadline()))
        {
            // Enough failed looks to span the isolation bound twice, with the peers answering meanwhile.
            var failuresBefore = sync.TopologyFailures;
            var needed = (int)Math.Ceiling(2 * sync.FenceAfter / sync.LookTimeout) + 1;
            await Poll.UntilAsync(() => Task.FromResult(sync.TopologyFailures - failuresBefore >= needed && sync.PeerAnswers >= needed - 1),
                TimeSpan.FromSeconds(60), $"{needed} failed looks at the topology with peers answering");
            Assert.Equal(0, sync.IsolationFences);
            Assert.False((await FullStatusAsync(primary)).ReadOnly);
        }
    }

    [Fact]
    public async Task A_primary_whose_shard_record_names_a_newer_primary_demotes_itself_and_replicates_from_it()
    {
        await BuildShardAsync();
        var oldPrimary = Cluster[0];
        var newPrimary = Cluster[1];
        await InsertRowsAsync(oldPrimary, 2);
        await WaitForRowsAsync(newPrimary, 2);

        // A failover the old primary's agent was not told about (as when the orchestrator cannot reach it): the
        // promoted tablet records itself in the shard record with a newer term.
        await newPrimary.CallAsync<Tabletmanagerdata.PromoteReplicaRequest, Tabletmanagerdata.PromoteReplicaResponse>("PromoteReplica",
            new Tabletmanagerdata.PromoteReplicaRequest());

        await Poll.UntilAsync(async () =>
        {
            var status = await FullStatusWhileConnectionsAreKilledAsync(oldPrimary, _output);
            return status is not null && status.ReadOnly && status.TabletType == TabletType.Replica && status.ReplicationStatus is { } replication
                && replication.SourcePort == newPrimary.Server.Port && replication.IoState == 3 /* running */;
        }, TimeSpan.FromSeconds(60), "the old primary is a read-only replica of the new one");
        Assert.Equal(1, oldPrimary.Agent!.ShardSync.Demotions);
        Assert.Equal(TabletType.Replica, (await oldPrimary.TabletRecordAsync()).Type);

        await InsertRowsAsync(newPrimary, 3);
        await WaitForRowsAsync(oldPrimary, 5);
    }

    [Fact]
    public async Task A_restarted_primary_agent_knows_its_peers_as_soon_as_it_serves()
    {
        await BuildShardAsync();
        var primary = Cluster[0];
        await PeersKnownAsync(primary);

        // Chaos (KillAgent, then IsolatePrimary at once): a primary whose agent had not read its peers yet when it was
        // cut off never fenced itself, and was writable next to the new primary when the cut healed.
        await primary.StopAgentAsync();
        await primary.StartAgentAsync(AgentCluster.Deadline(60));

        Assert.Equal(2, primary.Agent!.ShardSync.KnownPeers);
    }

    private static Task PeersKnownAsync(AgentMember primary) =>
        Poll.UntilAsync(() => Task.FromResult(primary.Agent!.ShardSync.KnownPeers == 2), TimeSpan.FromSeconds(30),
            $"{primary.AliasText} knows the two other tablets of its shard");
}
