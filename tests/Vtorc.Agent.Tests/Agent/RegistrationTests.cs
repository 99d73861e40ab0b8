using Vtorc.LocalCluster;
using Topodata;
using Vtorc.Topo;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>What a starting agent writes to the topology.</summary>
[NeedsExternalProcess]
public sealed class RegistrationTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    protected override int Size => 2;

    protected override IReadOnlyList<string> Cells => ["zone1", "zone2"];

    [Fact]
    public async Task Starting_agents_register_their_tablets_the_keyspace_the_shard_and_the_shard_replication()
    {
        var member = Cluster[1];
        var tablet = await member.TabletRecordAsync();
        Assert.Equal("zone2-0000000101", tablet.Alias.ToText());
        Assert.Equal("127.0.0.1", tablet.Hostname);
        Assert.Equal(member.Agent!.GrpcPort, tablet.PortMap["grpc"]);
        Assert.Equal(AgentCluster.Keyspace, tablet.Keyspace);
        Assert.Equal(AgentCluster.Shard, tablet.Shard);
        Assert.Null(tablet.KeyRange);
        Assert.Equal(TabletType.Replica, tablet.Type);
        Assert.Equal(member.Server.Host, tablet.MysqlHostname);
        Assert.Equal(member.Server.Port, tablet.MysqlPort);
        Assert.NotNull(tablet.TabletStartTime);
        Assert.Null(tablet.TabletShutdownTime);
        Assert.Null(tablet.PrimaryTermStartTime);

        var keyspace = await Cluster.Topo.Keyspaces.GetAsync(AgentCluster.Keyspace, AgentCluster.Deadline());
        Assert.Equal("none", keyspace.Value.DurabilityPolicy);
        var shard = await Cluster.ShardRecordAsync();
        Assert.Null(shard.PrimaryAlias);
        var aliases = await Cluster.Topo.GetTabletAliasesByShardAsync(AgentCluster.Keyspace, AgentCluster.Shard, AgentCluster.Deadline());
        Assert.Equal(["zone1-0000000100", "zone2-0000000101"], aliases.Select(a => a.ToText()).Order());
    }

    [Fact]
    public async Task A_tablet_replicates_from_a_primary_in_another_cell()
    {
        await InitPrimaryAsync(Cluster[0]);
        await ReplicateFromAsync(Cluster[1], Cluster[0]);
        await InsertRowsAsync(Cluster[0], 2);
        await WaitForRowsAsync(Cluster[1], 2);
    }
}
