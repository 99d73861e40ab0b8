using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>The check FixPrimary makes before it makes a primary writable again (pure).</summary>
public sealed class WritableTabletsTests
{
    [Fact]
    public void Read_only_replicas_leave_the_primary_alone()
    {
        var scenario = new ShardScenario();
        var primary = scenario.Primary();
        scenario.Replica(101);
        Assert.Empty(WritableTablets.Besides(scenario.Build(), primary));
    }

    [Fact]
    public void A_writable_replica_is_named()
    {
        var scenario = new ShardScenario();
        var primary = scenario.Primary();
        var writable = scenario.Replica(101);
        scenario.Replica(102);
        scenario.Observe(writable, o => o with { ReadOnly = false });
        Assert.Equal([writable], WritableTablets.Besides(scenario.Build(), primary));
    }

    [Fact]
    public void A_tablet_whose_last_poll_failed_is_not_judged()
    {
        var scenario = new ShardScenario();
        var primary = scenario.Primary();
        var unreachable = scenario.Replica(101);
        scenario.Observe(unreachable, o => o with { ReadOnly = false, LastChecked = o.LastSeen.AddSeconds(5) });
        Assert.Empty(WritableTablets.Besides(scenario.Build(), primary));
    }
}
