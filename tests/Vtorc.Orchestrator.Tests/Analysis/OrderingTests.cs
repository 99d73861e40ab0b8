using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>Problem ordering as go/vt/vtorc/inst/analysis_problem.go (Vitess main, 2026): dependencies, priority,
/// declaration-order tie-break, shard-wide suppression and the analyses that survive a shard-wide one.</summary>
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
        // Both shard-wide; the dependency puts the stall first whatever the input order.
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
    public void Shard_wide_problems_have_their_own_level_ahead_of_critical()
    {
        Assert.Equal([C.PrimaryHasPrimary, C.PrimaryIsReadOnly], Sorted(C.PrimaryIsReadOnly, C.PrimaryHasPrimary));
        Assert.Equal(AnalysisPriority.ShardWideAction, P(C.PrimarySemiSyncBlocked).Priority);
        Assert.True(ProblemOrdering.Compare(P(C.DeadPrimary), P(C.InvalidPrimary)) < 0);
    }

    [Fact]
    public void Priority_numbers_are_those_vitess_reports()
    {
        Assert.Equal(0, (int)AnalysisPriority.ShardWideAction);
        Assert.Equal(1, (int)AnalysisPriority.Critical);
        Assert.Equal(2, (int)AnalysisPriority.High);
        Assert.Equal(3, (int)AnalysisPriority.Medium);
        Assert.Equal(4, (int)AnalysisPriority.Low);
        Assert.All(AnalysisProblems.All, p => Assert.Equal(p.HasShardWideAction, p.Priority == AnalysisPriority.ShardWideAction));
    }

    [Fact]
    public void Higher_priority_beats_declaration_order()
    {
        // PrimaryCurrentTypeMismatch (Medium) is declared after PrimaryIsReadOnly (High) anyway; High wins either way round.
        Assert.Equal([C.PrimaryIsReadOnly, C.PrimaryCurrentTypeMismatch], Sorted(C.PrimaryCurrentTypeMismatch, C.PrimaryIsReadOnly));
    }

    [Fact]
    public void Equal_priorities_keep_the_declaration_order()
    {
        var (scenario, replica) = WritableStoppedReplica();
        Assert.Equal([C.ReplicaIsWritable, C.ReplicationStopped], scenario.MatchedCodes(replica));
        Assert.Equal(C.ReplicaIsWritable, scenario.AnalysisOf(replica)!.Analysis);
    }

    [Fact]
    public void Equal_priorities_are_not_ordered_alphabetically()
    {
        // Declared: PrimarySemiSyncMustNotBeSet before PrimaryCurrentTypeMismatch (alphabetically the other way round).
        var s = new ShardScenario();
        var p = s.Primary();
        s.Replica(101);
        s.Observe(p, o => o with { CurrentTabletType = Topodata.TabletType.Replica, SemiSyncPrimaryEnabled = true });
        Assert.Equal([C.PrimarySemiSyncMustNotBeSet, C.PrimaryCurrentTypeMismatch], s.MatchedCodes(p));
        Assert.Equal(C.PrimarySemiSyncMustNotBeSet, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void The_table_is_in_vitess_declaration_order()
    {
        // Vitess main (2026) declaration order of the codes we have; ours (PrimaryBehindReplica, ReplicationDiverged)
        // are left out of the comparison.
        string[] vitess =
        [
            C.InvalidPrimary, C.InvalidReplica, C.PrimaryDiskStalled, C.DeadPrimaryWithoutReplicas, C.DeadPrimary,
            C.DeadPrimaryAndReplicas, C.DeadPrimaryAndSomeReplicas, C.PrimaryTabletUnreachableByQuorum, C.IncapacitatedPrimary, C.PrimaryHasPrimary, C.PrimaryIsReadOnly,
            C.ReplicaIsWritable, C.PrimarySemiSyncMustBeSet, C.PrimarySemiSyncMustNotBeSet, C.ReplicaSemiSyncMustBeSet,
            C.ReplicaSemiSyncMustNotBeSet, C.PrimarySemiSyncBlocked, C.PrimaryCurrentTypeMismatch, C.StaleTopoPrimary,
            C.ErrantGtidDetected, C.ClusterHasNoPrimary, C.PrimaryTabletDeleted, C.ReplicationStopped,
            C.NotConnectedToPrimary, C.ReplicaMisconfigured, C.ConnectedToWrongPrimary,
            C.UnreachablePrimaryWithLaggingReplicas, C.UnreachablePrimary, C.UnreachablePrimaryWithBrokenReplicas,
            C.LockedSemiSyncPrimary, C.LockedSemiSyncPrimaryHypothesis, C.PrimarySingleReplicaNotReplicating,
            C.PrimarySingleReplicaDead, C.AllPrimaryReplicasNotReplicating, C.AllPrimaryReplicasNotReplicatingOrDead,
        ];
        var ours = AnalysisProblems.All.Select(p => p.Code).Where(c => vitess.Contains(c)).ToArray();
        Assert.Equal(vitess, ours);
    }

    [Theory]
    [InlineData(C.ReplicationStopped)]
    [InlineData(C.PrimaryIsReadOnly)]
    public void ReplicationStopped_and_PrimaryIsReadOnly_sort_before_PrimarySemiSyncBlocked(string code)
    {
        Assert.Equal([code, C.PrimarySemiSyncBlocked], Sorted(C.PrimarySemiSyncBlocked, code));
        Assert.True(P(code).RequiresOrderedExecution);
    }

    [Fact]
    public void A_read_only_blocked_primary_is_made_writable_rather_than_failed_over()
    {
        var (s, p, _) = BlockedSemiSyncShard();
        s.Observe(p, o => o with { ReadOnly = true });
        Assert.Equal([C.PrimaryIsReadOnly, C.PrimarySemiSyncBlocked], s.MatchedCodes(p));
        Assert.Equal(C.PrimaryIsReadOnly, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void A_stopped_replica_is_still_reported_after_a_blocked_semi_sync_primary_and_runs_first()
    {
        var (s, p, r1) = BlockedSemiSyncShard();
        s.StopReplication(r1);
        var analyses = s.Analyze().Analyses.ToList();
        Assert.Equal([p, r1], analyses.Select(a => a.AnalyzedInstanceAlias));
        Assert.Equal([C.PrimarySemiSyncBlocked, C.ReplicationStopped], analyses.Select(a => a.Analysis));

        ProblemOrdering.SortForExecution(analyses);
        Assert.Equal([r1, p], analyses.Select(a => a.AnalyzedInstanceAlias));
    }

    [Fact]
    public void After_a_shard_wide_action_a_row_reports_its_first_problem_that_must_run_before_it()
    {
        // The replica is writable (declared first, reported first alone) and stopped: under the shard-wide action
        // only ReplicationStopped may still run, so that one is reported.
        var (s, p, r1) = BlockedSemiSyncShard();
        s.StopReplication(r1).Observe(r1, o => o with { ReadOnly = false });
        Assert.Equal(C.PrimarySemiSyncBlocked, s.AnalysisOf(p)!.Analysis);
        var replica = s.AnalysisOf(r1)!;
        Assert.Equal(C.ReplicationStopped, replica.Analysis);
        Assert.Equal([C.ReplicaIsWritable, C.ReplicationStopped], replica.AnalysisMatchedProblems.Select(m => m.Analysis));
    }

    [Fact]
    public void Low_priority_problems_come_after_medium_ones()
    {
        Assert.Equal([C.ReplicationStopped, C.InvalidReplica], Sorted(C.InvalidReplica, C.ReplicationStopped));
    }

    [Fact]
    public void Primary_with_several_problems_reports_them_in_priority_then_declaration_order()
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
        Assert.Equal([C.PrimaryIsReadOnly, C.PrimarySemiSyncMustNotBeSet, C.PrimaryCurrentTypeMismatch], s.MatchedCodes(p));
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
        Assert.False(P(C.ReplicaIsWritable).RequiresOrderedExecution);
        Assert.True(P(C.DeadPrimary).RequiresOrderedExecution);
    }

    /// <summary>A semi-sync shard whose primary reports writes blocked although both replicas have semi-sync on.</summary>
    private static (ShardScenario, string Primary, string Replica) BlockedSemiSyncShard()
    {
        var s = new ShardScenario().WithDurability(DurabilityPolicyNames.SemiSync);
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        s.Observe(p, o => o with { SemiSyncPrimaryEnabled = true, SemiSyncBlocked = true, SemiSyncPrimaryWaitForReplicaCount = 1 });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        return (s, p, r1);
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
