using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Tests.Analysis;
using Vtorc.Orchestrator.Tests.Snapshot;

namespace Vtorc.Orchestrator.Tests.Json;

public class InstanceSelectionTests
{
    // ks1/0: r101 unreachable, r102 replication stopped, r103 healthy, r104 never polled.
    // ks2/-80: r101 errant GTIDs; ks2/80-: r101 lagging 60 s.
    private static IReadOnlyList<ShardSnapshot> Shards()
    {
        var a = new ShardScenario();
        a.Primary();
        var r1 = a.Replica(101);
        var r2 = a.Replica(102);
        a.Replica(103);
        var r4 = a.Replica(104);
        a.Unreachable(r1).StopReplication(r2).NeverPolled(r4);

        var b = new ShardScenario();
        b.Primary();
        var e = b.Replica(101);
        b.Observe(e, o => o with { GtidErrant = ShardScenario.UuidOf(101) + ":7", GtidErrantCount = 1 });

        var c = new ShardScenario();
        c.Primary();
        var l = c.Replica(101);
        c.Observe(l, o => o with { ReplicationLagSeconds = 60 });

        return
        [
            ShardCopies.Renamed(a.Build(), "ks1", "0"),
            ShardCopies.Renamed(b.Build(), "ks2", "-80"),
            ShardCopies.Renamed(c.Build(), "ks2", "80-"),
        ];
    }

    private static string[] Describe(IReadOnlyList<InstanceEntry> entries) =>
        entries.Select(e => $"{e.Tablet.Keyspace}/{e.Tablet.Shard} {e.Tablet.Alias}").ToArray();

    [Fact]
    public void Problems_lists_unreachable_stopped_errant_and_lagging_instances_by_alias()
    {
        var selected = InstanceSelection.WithProblems(Shards(), AnalysisSettings.Default, ShardScenario.Now.AddSeconds(10));
        Assert.Equal(
            ["ks1/0 zone1-0000000101", "ks2/-80 zone1-0000000101", "ks2/80- zone1-0000000101", "ks1/0 zone1-0000000102"],
            Describe(selected));
    }

    [Fact]
    public void Problems_include_instances_not_checked_for_five_poll_intervals()
    {
        var selected = InstanceSelection.WithProblems(Shards(), AnalysisSettings.Default, ShardScenario.Now.AddSeconds(26), "ks1");
        Assert.Contains("ks1/0 zone1-0000000103", Describe(selected));
        Assert.Contains("ks1/0 zone1-0000000100", Describe(selected));
        Assert.DoesNotContain("ks1/0 zone1-0000000104", Describe(selected));
    }

    [Fact]
    public void Problems_filter_by_keyspace_and_shard()
    {
        var now = ShardScenario.Now.AddSeconds(10);
        Assert.Equal(["ks2/-80 zone1-0000000101", "ks2/80- zone1-0000000101"],
            Describe(InstanceSelection.WithProblems(Shards(), AnalysisSettings.Default, now, "ks2")));
        Assert.Equal(["ks2/80- zone1-0000000101"],
            Describe(InstanceSelection.WithProblems(Shards(), AnalysisSettings.Default, now, "ks2", "80-")));
        Assert.Empty(InstanceSelection.WithProblems(Shards(), AnalysisSettings.Default, now, "ks3"));
    }

    [Fact]
    public void Errant_GTIDs_lists_only_instances_with_errant_transactions()
    {
        Assert.Equal(["ks2/-80 zone1-0000000101"], Describe(InstanceSelection.WithErrantGtids(Shards())));
        Assert.Empty(InstanceSelection.WithErrantGtids(Shards(), "ks1"));
        Assert.Empty(InstanceSelection.WithErrantGtids(Shards(), "ks2", "80-"));
    }

    [Fact]
    public void A_shard_filter_needs_a_keyspace()
    {
        var e = Assert.Throws<ArgumentException>(() => InstanceSelection.WithErrantGtids(Shards(), null, "0"));
        Assert.StartsWith(InstanceSelection.ShardWithoutKeyspaceMessage, e.Message);
    }
}
