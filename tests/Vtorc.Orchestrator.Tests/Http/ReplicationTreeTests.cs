using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Http;

public sealed class ReplicationTreeTests
{
    [Fact]
    public void Replicas_follow_their_source_one_level_deeper_with_the_topo_primary_first()
    {
        var scenario = new ShardScenario();
        var replica = scenario.Replica(101);
        var intermediate = scenario.Replica(102);
        var leaf = scenario.Replica(103, source: 102);
        var primary = scenario.Primary(100);

        var rows = ReplicationTree.Of(scenario.Build());

        Assert.Equal([primary, replica, intermediate, leaf], rows.Select(r => r.Tablet.Alias));
        Assert.Equal([0, 1, 1, 2], rows.Select(r => r.Depth));
        Assert.Equal(intermediate, rows[3].Source?.Alias);
        Assert.Null(rows[0].Source);
    }

    [Fact]
    public void A_replication_loop_still_shows_every_tablet_once()
    {
        var scenario = new ShardScenario();
        var a = scenario.Replica(101, source: 102);
        var b = scenario.Replica(102, source: 101);

        var rows = ReplicationTree.Of(scenario.Build());

        Assert.Equal(2, rows.Count);
        Assert.Equal([a, b], rows.Select(r => r.Tablet.Alias).Order());
    }

    [Fact]
    public void A_tablet_never_polled_is_a_root_without_observation()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var silent = scenario.Replica(101);
        scenario.NeverPolled(silent);

        var row = Assert.Single(ReplicationTree.Of(scenario.Build()), r => r.Tablet.Alias == silent);

        Assert.Equal(0, row.Depth);
        Assert.Null(row.Observation);
    }
}
