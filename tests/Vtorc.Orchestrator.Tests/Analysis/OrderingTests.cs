using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>Problem ordering as go/vt/vtorc/inst/analysis_problem.go: dependencies, effective priority, alphabetical
/// tie-break, shard-wide suppression.</summary>
public sealed class OrderingTests
{
    private static AnalysisProblem P(string code) => AnalysisProblems.Get(code);

    private static List<string> Sorted(params string[] codes)
    {
        var list = codes.Select(P).ToList();
        ProblemOrdering.Sort(list);
        return list.Select(p => p.Code).ToList();
    }

    [Theory]
    [InlineData(C.DeadPrimary)]
    [InlineData(C.DeadPrimaryAndReplicas)]
    [InlineData(C.DeadPrimaryAndSomeReplicas)]
    [InlineData(C.DeadPrimaryWithoutReplicas)]
    public void PrimaryDiskStalled_sorts_before_every_dead_primary_code(string deadCode)
    {
        // Collected in ordinal order, the DeadPrimary code comes first; the dependency moves the stall ahead.
        Assert.Equal([C.PrimaryDiskStalled, deadCode], Sorted(deadCode, C.PrimaryDiskStalled));
        Assert.True(ProblemOrdering.Compare(P(C.PrimaryDiskStalled), P(deadCode)) < 0);
        Assert.True(ProblemOrdering.Compare(P(deadCode), P(C.PrimaryDiskStalled)) > 0);
    }

    [Fact]
    public void ReplicaSemiSyncMustBeSet_sorts_before_PrimarySemiSyncMustBeSet()
    {
        Assert.Equal([C.ReplicaSemiSyncMustBeSet, C.PrimarySemiSyncMustBeSet],
            Sorted(C.PrimarySemiSyncMustBeSet, C.ReplicaSemiSyncMustBeSet));
    }

    [Fact]
    public void Shard_wide_problems_count_as_critical_and_sort_before_high_priority_ones()
    {
        Assert.Equal([C.PrimaryHasPrimary, C.PrimaryIsReadOnly], Sorted(C.PrimaryIsReadOnly, C.PrimaryHasPrimary));
        Assert.Equal(AnalysisPriority.Critical, P(C.PrimarySemiSyncBlocked).EffectivePriority);
    }

    [Fact]
    public void Higher_priority_beats_alphabetical_order()
    {
        // "PrimaryCurrentTypeMismatch" < "PrimaryIsReadOnly" ordinally, but High beats Medium.
        Assert.Equal([C.PrimaryIsReadOnly, C.PrimaryCurrentTypeMismatch], Sorted(C.PrimaryCurrentTypeMismatch, C.PrimaryIsReadOnly));
    }

    [Fact]
    public void Equal_priorities_keep_the_alphabetical_collection_order()
    {
        var (scenario, replica) = WritableStoppedReplica();
        Assert.Equal([C.ReplicaIsWritable, C.ReplicationStopped], scenario.MatchedCodes(replica));
        Assert.Equal(C.ReplicaIsWritable, scenario.AnalysisOf(replica)!.Analysis);
    }

    [Fact]
    public void Low_priority_problems_come_after_medium_ones()
    {
        Assert.Equal([C.ReplicationStopped, C.InvalidReplica], Sorted(C.InvalidReplica, C.ReplicationStopped));
    }

    [Fact]
    public void Primary_with_several_problems_reports_them_in_priority_then_alphabetical_order()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.Replica(101);
        s.Observe(p, o => o with
        {
            ReadOnly = true,
            CurrentTabletType = Topodata.TabletType.Replica,
            SemiSyncPrimaryEnabled = true,
        });
        Assert.Equal([C.PrimaryIsReadOnly, C.PrimaryCurrentTypeMismatch, C.PrimarySemiSyncMustNotBeSet], s.MatchedCodes(p));
        var matched = s.AnalysisOf(p)!.AnalysisMatchedProblems[0];
        Assert.Equal(AnalysisPriority.High, matched.Priority);
        Assert.False(matched.HasShardWideAction);
        Assert.False(string.IsNullOrEmpty(matched.Description));
    }

    [Fact]
    public void A_shard_wide_problem_stops_the_analysis_of_later_rows()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        s.Unreachable(p).StopReplication(r1).StopReplication(r2);
        s.Observe(r1, o => o with { ReadOnly = false });
        var result = s.Analyze();
        var only = Assert.Single(result.Analyses);
        Assert.Equal(p, only.AnalyzedInstanceAlias);
        Assert.Equal(C.DeadPrimary, only.Analysis);
        Assert.True(only.HasShardWideAction);
    }

    [Fact]
    public void A_problem_without_shard_wide_action_lets_later_rows_report()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.Observe(p, o => o with { ReadOnly = true }).Observe(r1, o => o with { ReadOnly = false });
        var result = s.Analyze();
        Assert.Equal([p, r1], result.Analyses.Select(a => a.AnalyzedInstanceAlias));
    }

    [Fact]
    public void Rows_are_primary_first_then_replica_then_rdonly()
    {
        var s = new ShardScenario();
        var rdonly = s.Rdonly(50);
        var replica = s.Replica(60);
        var p = s.Primary(100);
        foreach (var alias in new[] { rdonly, replica, p })
        {
            s.Observe(alias, o => o with { CurrentTabletType = Topodata.TabletType.Spare, ReadOnly = alias == p });
        }
        var order = s.Analyze().Analyses.Select(a => a.AnalyzedInstanceAlias).ToList();
        Assert.Equal([p, replica, rdonly], order);
    }

    [Fact]
    public void Shard_analyses_sort_for_execution_with_the_same_comparator()
    {
        var s = new ShardScenario().WithDurability(DurabilityPolicyNames.SemiSync);
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        // r2 acks already, so the primary may enable semi-sync; r1 still needs it on.
        s.Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        var analyses = s.Analyze().Analyses.ToList();
        Assert.Equal([p, r1], analyses.Select(a => a.AnalyzedInstanceAlias));
        Assert.Equal(C.PrimarySemiSyncMustBeSet, analyses[0].Analysis);

        ProblemOrdering.SortForExecution(analyses);
        Assert.Equal([r1, p], analyses.Select(a => a.AnalyzedInstanceAlias));
        Assert.True(P(C.PrimarySemiSyncMustBeSet).RequiresOrderedExecution);
        Assert.False(P(C.ReplicationStopped).RequiresOrderedExecution);
    }

    private static (ShardScenario, string) WritableStoppedReplica()
    {
        var s = new ShardScenario();
        s.Primary();
        s.Replica(102);
        var r1 = s.Replica(101);
        s.StopReplication(r1).Observe(r1, o => o with { ReadOnly = false });
        return (s, r1);
    }
}
