using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>Every code of go/vt/vtorc/inst/analysis_problem.go: a scenario that produces it and a near miss that does
/// not.</summary>
public sealed class DetectionCodeTests
{
    private static (ShardScenario Scenario, string Primary, string R1, string R2) HealthyShard()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        return (s, p, r1, r2);
    }

    [Fact]
    public void A_healthy_shard_reports_nothing()
    {
        var (s, _, _, _) = HealthyShard();
        var result = s.Analyze();
        Assert.False(result.IsSkipped);
        Assert.Empty(result.Analyses);
    }

    [Fact]
    public void InvalidPrimary_when_the_cluster_primary_was_never_polled()
    {
        var (s, p, _, _) = HealthyShard();
        s.NeverPolled(p);
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.InvalidPrimary, analysis.Analysis);
        Assert.Equal([C.InvalidPrimary, C.InvalidReplica], s.MatchedCodes(p));
        Assert.True(analysis.IsClusterPrimary);
        Assert.False(analysis.LastCheckValid);
        Assert.Equal(TabletType.Unknown, analysis.CurrentTabletType);
    }

    [Fact]
    public void InvalidPrimary_not_reported_for_a_polled_primary_that_is_unreachable()
    {
        var (s, p, _, _) = HealthyShard();
        s.Unreachable(p, partialSuccess: true);
        Assert.DoesNotContain(C.InvalidPrimary, s.MatchedCodes(p));
    }

    [Fact]
    public void InvalidReplica_when_a_replica_was_never_polled()
    {
        var (s, _, r1, _) = HealthyShard();
        s.NeverPolled(r1);
        Assert.Equal([C.InvalidReplica], s.MatchedCodes(r1));
    }

    [Fact]
    public void Invalid_replica_is_tested_for_invalid_codes_only()
    {
        // Its topo type alone would match ClusterHasNoPrimary if all problems were tested.
        var s = new ShardScenario().WithShardTerm(default);
        var r1 = s.Replica(101, source: null);
        s.NeverPolled(r1);
        Assert.Equal([C.InvalidReplica], s.MatchedCodes(r1));
    }

    [Fact]
    public void InvalidReplica_not_reported_when_the_replica_was_polled_once_but_fails_now()
    {
        var (s, _, r1, _) = HealthyShard();
        s.Unreachable(r1);
        Assert.DoesNotContain(C.InvalidReplica, s.MatchedCodes(r1));
    }

    [Fact]
    public void PrimaryDiskStalled_wins_over_the_dead_primary_codes_it_also_matches()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.Unreachable(p, diskStalled: true).StopReplication(r1).StopReplication(r2);
        var codes = s.MatchedCodes(p);
        Assert.Equal(C.PrimaryDiskStalled, codes[0]);
        Assert.Contains(C.DeadPrimary, codes);
        Assert.True(s.AnalysisOf(p)!.IsDiskStalled);
    }

    [Fact]
    public void PrimaryDiskStalled_needs_the_stalled_flag()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.Unreachable(p, diskStalled: false).StopReplication(r1).StopReplication(r2);
        Assert.DoesNotContain(C.PrimaryDiskStalled, s.MatchedCodes(p));
        Assert.Equal(C.DeadPrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void DeadPrimaryWithoutReplicas_when_a_lone_primary_is_unreachable()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.Unreachable(p);
        Assert.Equal(C.DeadPrimaryWithoutReplicas, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void DeadPrimaryWithoutReplicas_not_reported_for_a_reachable_lone_primary()
    {
        var s = new ShardScenario();
        s.Primary();
        Assert.Empty(s.Analyze().Analyses);
    }

    [Fact]
    public void DeadPrimary_when_the_primary_is_unreachable_and_no_reachable_replica_replicates()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.Unreachable(p).StopReplication(r1).StopReplication(r2);
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.DeadPrimary, analysis.Analysis);
        Assert.True(analysis.IsActionableRecovery);
        Assert.Equal(2, analysis.CountValidReplicas);
        Assert.Equal(0, analysis.CountValidReplicatingReplicas);
    }

    [Fact]
    public void DeadPrimary_not_reported_while_a_replica_still_replicates()
    {
        var (s, p, r1, _) = HealthyShard();
        s.Unreachable(p).StopReplication(r1);
        var codes = s.MatchedCodes(p);
        Assert.DoesNotContain(C.DeadPrimary, codes);
        Assert.Equal(C.UnreachablePrimaryWithBrokenReplicas, codes[0]);
    }

    [Fact]
    public void DeadPrimaryAndReplicas_when_nothing_in_the_shard_answers()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.Unreachable(p).Unreachable(r1).Unreachable(r2);
        Assert.Equal(C.DeadPrimaryAndReplicas, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void DeadPrimaryAndReplicas_not_reported_when_one_replica_answers()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.Unreachable(p).Unreachable(r1).StopReplication(r2);
        Assert.DoesNotContain(C.DeadPrimaryAndReplicas, s.MatchedCodes(p));
    }

    [Fact]
    public void DeadPrimaryAndSomeReplicas_when_some_replicas_answer_but_none_replicates()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.Unreachable(p).Unreachable(r1).StopReplication(r2);
        Assert.Equal(C.DeadPrimaryAndSomeReplicas, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void DeadPrimaryAndSomeReplicas_not_reported_when_the_answering_replica_replicates()
    {
        var (s, p, r1, _) = HealthyShard();
        s.Unreachable(p).Unreachable(r1);
        Assert.DoesNotContain(C.DeadPrimaryAndSomeReplicas, s.MatchedCodes(p));
    }

    [Fact]
    public void PrimaryHasPrimary_when_the_cluster_primary_replicates_from_a_server()
    {
        var (s, p, _, _) = HealthyShard();
        s.Observe(p, o => o with { SourceHost = "elsewhere", SourcePort = 3306 });
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.PrimaryHasPrimary, analysis.Analysis);
        Assert.False(analysis.IsPrimary);
    }

    [Theory]
    [InlineData("")]
    [InlineData("_")]
    [InlineData("//socket")]
    public void PrimaryHasPrimary_not_reported_for_pseudo_sources(string host)
    {
        var (s, p, _, _) = HealthyShard();
        s.Observe(p, o => o with { SourceHost = host, SourcePort = 3306 });
        Assert.DoesNotContain(C.PrimaryHasPrimary, s.MatchedCodes(p));
    }

    [Fact]
    public void PrimaryIsReadOnly_when_the_cluster_primary_is_read_only()
    {
        var (s, p, _, _) = HealthyShard();
        s.Observe(p, o => o with { ReadOnly = true });
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.PrimaryIsReadOnly, analysis.Analysis);
        Assert.Contains(StructureWarningCodes.NoWriteablePrimary, analysis.StructureAnalysis);
    }

    [Fact]
    public void PrimaryIsReadOnly_not_reported_for_a_read_only_replica_type_tablet_replicating_from_nobody()
    {
        var s = new ShardScenario();
        s.Primary();
        var r1 = s.Replica(101, source: null);
        Assert.DoesNotContain(C.PrimaryIsReadOnly, s.MatchedCodes(r1));
    }

    [Fact]
    public void PrimarySemiSyncMustBeSet_when_the_policy_needs_acks_and_an_acker_is_ready()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.PrimarySemiSyncMustBeSet, analysis.Analysis);
        Assert.Equal(2, analysis.CountValidSemiSyncReplicatingReplicas);
    }

    [Fact]
    public void PrimarySemiSyncMustBeSet_waits_until_enough_semi_sync_replicas_replicate()
    {
        var (s, p, r1, _) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        // The only semi-sync replica is not replicating: no acker is ready yet.
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).StopReplication(r1);
        Assert.DoesNotContain(C.PrimarySemiSyncMustBeSet, s.MatchedCodes(p));
    }

    [Fact]
    public void PrimarySemiSyncMustNotBeSet_when_the_policy_has_no_acks_but_the_primary_enables_semi_sync()
    {
        var (s, p, _, _) = HealthyShard();
        s.Observe(p, o => o with { SemiSyncPrimaryEnabled = true });
        Assert.Equal(C.PrimarySemiSyncMustNotBeSet, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void PrimarySemiSyncMustNotBeSet_not_reported_under_a_semi_sync_policy()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(p, o => o with { SemiSyncPrimaryEnabled = true });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        Assert.Empty(s.Analyze().Analyses);
    }

    [Fact]
    public void PrimarySemiSyncBlocked_when_writes_block_although_enough_replicas_have_semi_sync()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(p, o => o with { SemiSyncPrimaryEnabled = true, SemiSyncBlocked = true, SemiSyncPrimaryWaitForReplicaCount = 1 });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        var result = s.Analyze();
        Assert.Equal(C.PrimarySemiSyncBlocked, result.Analyses.Single(a => a.AnalyzedInstanceAlias == p).Analysis);
        Assert.True(result.Analyses.Single().HasShardWideAction);
    }

    [Fact]
    public void PrimarySemiSyncBlocked_not_reported_when_too_few_replicas_have_semi_sync()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(p, o => o with { SemiSyncPrimaryEnabled = true, SemiSyncBlocked = true, SemiSyncPrimaryWaitForReplicaCount = 2 });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true });
        Assert.DoesNotContain(C.PrimarySemiSyncBlocked, s.MatchedCodes(p));
    }

    [Fact]
    public void PrimarySemiSyncBlocked_not_reported_from_the_last_good_poll_of_a_primary_that_cannot_be_reached_now()
    {
        // The chaos run that found this: the primary was blocked during packet loss, then its agent was killed; the
        // blocked flag of its last good poll started an emergency reparent that could not fence it.
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(p, o => o with { SemiSyncPrimaryEnabled = true, SemiSyncBlocked = true, SemiSyncPrimaryWaitForReplicaCount = 1 });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        s.Unreachable(p);
        Assert.DoesNotContain(C.PrimarySemiSyncBlocked, s.MatchedCodes(p));
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void PrimaryCurrentTypeMismatch_when_the_primary_runs_as_another_type()
    {
        var (s, p, _, _) = HealthyShard();
        s.Observe(p, o => o with { CurrentTabletType = TabletType.Replica });
        Assert.Equal(C.PrimaryCurrentTypeMismatch, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void PrimaryCurrentTypeMismatch_not_reported_when_the_current_type_is_unknown()
    {
        var (s, p, _, _) = HealthyShard();
        s.Observe(p, o => o with { CurrentTabletType = TabletType.Unknown });
        Assert.Null(s.AnalysisOf(p));
    }

    [Fact]
    public void StaleTopoPrimary_for_a_primary_record_with_an_older_term()
    {
        var s = new ShardScenario();
        var current = s.Primary(100, ShardScenario.TermTwo);
        var stale = s.Primary(200, ShardScenario.TermOne);
        s.Observe(stale, o => o with { ReadOnly = true });
        var result = s.Analyze();
        Assert.Equal(C.StaleTopoPrimary, result.Analyses.Single(a => a.AnalyzedInstanceAlias == stale).Analysis);
        Assert.False(result.Analyses.Single(a => a.AnalyzedInstanceAlias == stale).IsClusterPrimary);
        Assert.DoesNotContain(result.Analyses, a => a.AnalyzedInstanceAlias == current);
    }

    [Fact]
    public void StaleTopoPrimary_is_not_reported_while_the_stale_primary_cannot_be_reached()
    {
        var s = new ShardScenario();
        s.Primary(100, ShardScenario.TermTwo);
        var stale = s.Primary(200, ShardScenario.TermOne);
        s.Unreachable(stale);
        var result = s.Analyze();
        Assert.DoesNotContain(result.Analyses, a => a.AnalyzedInstanceAlias == stale && a.Analysis == C.StaleTopoPrimary);
    }

    [Fact]
    public void StaleTopoPrimary_never_matches_the_primary_with_the_newest_term()
    {
        var s = new ShardScenario();
        var older = s.Primary(100, ShardScenario.TermOne);
        var newer = s.Primary(200, ShardScenario.TermTwo);
        var result = s.Analyze();
        Assert.DoesNotContain(result.Analyses, a => a.AnalyzedInstanceAlias == newer);
        Assert.Equal(C.StaleTopoPrimary, result.Analyses.Single(a => a.AnalyzedInstanceAlias == older).Analysis);
    }

    [Fact]
    public void ErrantGtidDetected_for_a_replica_with_errant_transactions()
    {
        var (s, p, r1, _) = HealthyShard();
        s.Observe(r1, o => o with { GtidErrant = ShardScenario.UuidOf(101) + ":1-3", GtidErrantCount = 3 });
        var result = s.Analyze();
        Assert.Equal(C.ErrantGtidDetected, result.Analyses.Single(a => a.AnalyzedInstanceAlias == r1).Analysis);
        // The primary is told through a structure warning.
        Assert.Contains(StructureWarningCodes.ErrantGtid, result.Analyses.Single(a => a.AnalyzedInstanceAlias == p).StructureAnalysis);
    }

    [Fact]
    public void ErrantGtidDetected_not_reported_for_a_primary_typed_tablet()
    {
        var (s, p, _, _) = HealthyShard();
        s.Observe(p, o => o with { GtidErrant = ShardScenario.UuidOf(100) + ":1" });
        Assert.DoesNotContain(C.ErrantGtidDetected, s.MatchedCodes(p));
    }

    [Fact]
    public void ClusterHasNoPrimary_when_no_primary_tablet_exists_and_the_shard_never_had_one()
    {
        var s = new ShardScenario().WithShardTerm(default);
        var r1 = s.Replica(101, source: null);
        var r2 = s.Replica(102, source: null);
        var result = s.Analyze();
        var only = Assert.Single(result.Analyses);
        Assert.Equal(C.ClusterHasNoPrimary, only.Analysis);
        Assert.Equal(r1, only.AnalyzedInstanceAlias);
        Assert.DoesNotContain(result.Analyses, a => a.AnalyzedInstanceAlias == r2);
    }

    [Fact]
    public void PrimaryTabletDeleted_when_no_primary_tablet_exists_but_the_shard_had_one()
    {
        var s = new ShardScenario().WithShardTerm(ShardScenario.TermOne);
        var r1 = s.Replica(101);
        s.Replica(102);
        var only = Assert.Single(s.Analyze().Analyses);
        Assert.Equal(C.PrimaryTabletDeleted, only.Analysis);
        Assert.Equal(r1, only.AnalyzedInstanceAlias);
        Assert.DoesNotContain(C.ClusterHasNoPrimary, only.AnalysisMatchedProblems.Select(p => p.Analysis));
    }

    [Fact]
    public void NotConnectedToPrimary_for_a_replica_replicating_from_nobody()
    {
        var s = new ShardScenario();
        s.Primary();
        var r1 = s.Replica(101, source: null);
        Assert.Equal(C.NotConnectedToPrimary, s.AnalysisOf(r1)!.Analysis);
    }

    [Fact]
    public void NotConnectedToPrimary_not_reported_for_a_replica_of_the_primary()
    {
        var (s, _, r1, _) = HealthyShard();
        s.StopReplication(r1);
        Assert.DoesNotContain(C.NotConnectedToPrimary, s.MatchedCodes(r1));
    }

    [Fact]
    public void ReplicaIsWritable_for_a_writable_replica()
    {
        var (s, _, r1, _) = HealthyShard();
        s.Observe(r1, o => o with { ReadOnly = false });
        Assert.Equal(C.ReplicaIsWritable, s.AnalysisOf(r1)!.Analysis);
    }

    [Fact]
    public void ReplicaIsWritable_not_reported_for_a_writable_backup_tablet()
    {
        var s = new ShardScenario();
        s.Primary();
        var backup = s.Replica(101, TabletType.Backup);
        s.Observe(backup, o => o with { ReadOnly = false });
        Assert.Null(s.AnalysisOf(backup));
    }

    [Fact]
    public void ReplicaMisconfigured_when_net_timeout_is_not_twice_the_heartbeat()
    {
        var (s, _, r1, _) = HealthyShard();
        s.Observe(r1, o => o with { ReplicaNetTimeout = 60, HeartbeatInterval = 20 });
        Assert.Equal(C.ReplicaMisconfigured, s.AnalysisOf(r1)!.Analysis);
    }

    [Fact]
    public void ReplicaMisconfigured_rounds_twice_the_heartbeat_half_away_from_zero()
    {
        var (s, _, r1, _) = HealthyShard();
        // 2 × 29.25 = 58.5 rounds to 59 (banker's rounding would give 58 and report a problem).
        s.Observe(r1, o => o with { ReplicaNetTimeout = 59, HeartbeatInterval = 29.25 });
        Assert.Null(s.AnalysisOf(r1));
    }

    [Fact]
    public void ConnectedToWrongPrimary_when_a_replica_replicates_from_another_replica()
    {
        var (s, _, r1, r2) = HealthyShard();
        s.Observe(r2, o => o with { SourceHost = ShardScenario.HostOf(101), SourceUuid = ShardScenario.UuidOf(101) });
        var analysis = s.AnalysisOf(r2)!;
        Assert.Equal(C.ConnectedToWrongPrimary, analysis.Analysis);
        Assert.Equal(r1, analysis.AnalyzedInstancePrimaryAlias);
    }

    [Fact]
    public void ConnectedToWrongPrimary_not_reported_when_there_is_no_cluster_primary()
    {
        // 101 (analysed first) replicates from replica 102; with no PRIMARY tablet there is nothing to be wrong about.
        var s = new ShardScenario().WithShardTerm(ShardScenario.TermOne);
        var r1 = s.Replica(101, source: 102);
        s.Replica(102, source: null);
        var codes = s.MatchedCodes(r1);
        Assert.Equal(C.PrimaryTabletDeleted, codes[0]);
        Assert.DoesNotContain(C.ConnectedToWrongPrimary, codes);
    }

    [Fact]
    public void ReplicationStopped_when_a_replica_threads_are_stopped()
    {
        var (s, _, r1, _) = HealthyShard();
        s.Observe(r1, o => o with { ReplicationSqlThreadState = ReplicationThreadState.Stopped });
        Assert.Equal(C.ReplicationStopped, s.AnalysisOf(r1)!.Analysis);
    }

    [Fact]
    public void ReplicationDiverged_instead_of_ReplicationStopped_when_the_primary_refuses_the_replica_as_diverged()
    {
        var (s, _, r1, _) = HealthyShard();
        s.Observe(r1, o => o with
        {
            ReplicationIoThreadState = ReplicationThreadState.Stopped,
            LastIoError = "Got fatal error 1236 from master when reading data from binary log: '... the slave has diverged ...'",
        });
        Assert.Equal(C.ReplicationDiverged, s.AnalysisOf(r1)!.Analysis);
        Assert.Contains(C.ReplicationStopped, s.MatchedCodes(r1));
    }

    [Fact]
    public void ReplicationDiverged_waits_for_a_writable_replica_to_be_made_read_only()
    {
        var (s, _, r1, _) = HealthyShard();
        s.Observe(r1, o => o with
        {
            ReplicationIoThreadState = ReplicationThreadState.Stopped,
            LastIoError = "Got fatal error 1236 from master: 'Could not find GTID state requested by slave in any binlog files'",
            ReadOnly = false,
        });
        Assert.Equal(C.ReplicaIsWritable, s.AnalysisOf(r1)!.Analysis);
        Assert.Contains(C.ReplicationDiverged, s.MatchedCodes(r1));
    }

    [Fact]
    public void ReplicationStopped_not_reported_while_both_threads_run()
    {
        var (s, _, r1, _) = HealthyShard();
        Assert.Null(s.AnalysisOf(r1));
    }

    [Fact]
    public void ReplicaSemiSyncMustBeSet_when_the_policy_wants_the_replica_to_ack()
    {
        var (s, _, r1, _) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        Assert.Equal(C.ReplicaSemiSyncMustBeSet, s.AnalysisOf(r1)!.Analysis);
    }

    [Fact]
    public void ReplicaSemiSyncMustBeSet_not_reported_for_rdonly_under_semi_sync()
    {
        var s = new ShardScenario().WithDurability(DurabilityPolicyNames.SemiSync);
        s.Primary();
        var rdonly = s.Rdonly(103);
        Assert.Null(s.AnalysisOf(rdonly));
    }

    [Fact]
    public void ReplicaSemiSyncMustBeSet_under_cross_cell_only_for_replicas_in_another_cell()
    {
        var s = new ShardScenario().WithDurability(DurabilityPolicyNames.CrossCell);
        s.Primary();
        var sameCell = s.Replica(101);
        Assert.Null(s.AnalysisOf(sameCell));
    }

    [Fact]
    public void ReplicaSemiSyncMustNotBeSet_when_the_policy_wants_no_ack_but_semi_sync_is_on()
    {
        var (s, _, r1, _) = HealthyShard();
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true });
        Assert.Equal(C.ReplicaSemiSyncMustNotBeSet, s.AnalysisOf(r1)!.Analysis);
    }

    [Fact]
    public void ReplicaSemiSyncMustNotBeSet_not_reported_when_the_policy_wants_the_ack()
    {
        var (s, _, r1, _) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync).Observe(r1, o => o with { SemiSyncReplicaEnabled = true });
        Assert.DoesNotContain(C.ReplicaSemiSyncMustNotBeSet, s.MatchedCodes(r1));
    }

    [Fact]
    public void UnreachablePrimaryWithLaggingReplicas_when_every_replica_lags()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.Unreachable(p, partialSuccess: true);
        s.Observe(r1, o => o with { ReplicationLagSeconds = 60 }).Observe(r2, o => o with { ReplicationLagSeconds = 60 });
        Assert.Equal(C.UnreachablePrimaryWithLaggingReplicas, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void UnreachablePrimaryWithLaggingReplicas_not_reported_when_one_replica_keeps_up()
    {
        var (s, p, r1, _) = HealthyShard();
        s.Unreachable(p, partialSuccess: true);
        s.Observe(r1, o => o with { ReplicationLagSeconds = 60 });
        Assert.DoesNotContain(C.UnreachablePrimaryWithLaggingReplicas, s.MatchedCodes(p));
    }

    [Fact]
    public void UnreachablePrimary_when_the_primary_fails_but_all_replicas_replicate()
    {
        var (s, p, _, _) = HealthyShard();
        s.Unreachable(p);
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.UnreachablePrimary, analysis.Analysis);
        Assert.True(analysis.IsActionableRecovery);
    }

    [Fact]
    public void UnreachablePrimary_not_reported_when_the_rpc_answered_but_processing_failed()
    {
        var (s, p, _, _) = HealthyShard();
        s.Unreachable(p, partialSuccess: true);
        Assert.Null(s.AnalysisOf(p));
    }

    [Fact]
    public void UnreachablePrimaryWithBrokenReplicas_when_only_some_replicas_replicate()
    {
        var (s, p, r1, _) = HealthyShard();
        s.Unreachable(p).StopReplication(r1);
        Assert.Equal(C.UnreachablePrimaryWithBrokenReplicas, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void UnreachablePrimaryWithBrokenReplicas_not_reported_when_all_replicas_replicate()
    {
        var (s, p, _, _) = HealthyShard();
        s.Unreachable(p);
        Assert.DoesNotContain(C.UnreachablePrimaryWithBrokenReplicas, s.MatchedCodes(p));
    }

    [Fact]
    public void LockedSemiSyncPrimaryHypothesis_when_the_primary_waits_for_more_acking_clients_than_connected()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(p, o => o with
        {
            SemiSyncPrimaryEnabled = true, SemiSyncPrimaryStatus = true, SemiSyncPrimaryWaitForReplicaCount = 2, SemiSyncPrimaryClients = 1,
        });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        var codes = s.MatchedCodes(p);
        Assert.Equal([C.LockedSemiSyncPrimaryHypothesis], codes);
    }

    [Fact]
    public void LockedSemiSyncPrimary_is_never_reported_because_stale_coordinates_are_never_recorded()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(p, o => o with
        {
            SemiSyncPrimaryEnabled = true, SemiSyncPrimaryStatus = true, SemiSyncPrimaryWaitForReplicaCount = 2, SemiSyncPrimaryClients = 1,
        });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        Assert.DoesNotContain(C.LockedSemiSyncPrimary, s.MatchedCodes(p));
    }

    [Fact]
    public void LockedSemiSyncPrimaryHypothesis_not_reported_when_enough_clients_are_connected()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.WithDurability(DurabilityPolicyNames.SemiSync);
        s.Observe(p, o => o with
        {
            SemiSyncPrimaryEnabled = true, SemiSyncPrimaryStatus = true, SemiSyncPrimaryWaitForReplicaCount = 1, SemiSyncPrimaryClients = 1,
        });
        s.Observe(r1, o => o with { SemiSyncReplicaEnabled = true }).Observe(r2, o => o with { SemiSyncReplicaEnabled = true });
        Assert.Null(s.AnalysisOf(p));
    }

    [Fact]
    public void PrimarySingleReplicaNotReplicating_when_the_only_replica_answers_but_is_stopped()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.StopReplication(r1);
        Assert.Equal(C.PrimarySingleReplicaNotReplicating, s.AnalysisOf(p)!.Analysis);
        Assert.Equal(C.ReplicationStopped, s.AnalysisOf(r1)!.Analysis);
    }

    [Fact]
    public void PrimarySingleReplicaNotReplicating_not_reported_with_two_replicas()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.StopReplication(r1).StopReplication(r2);
        Assert.DoesNotContain(C.PrimarySingleReplicaNotReplicating, s.MatchedCodes(p));
    }

    [Fact]
    public void PrimarySingleReplicaDead_when_the_only_replica_does_not_answer()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.Unreachable(r1);
        Assert.Equal(C.PrimarySingleReplicaDead, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void PrimarySingleReplicaDead_not_reported_when_the_primary_itself_is_unreachable()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.Unreachable(r1).Unreachable(p);
        Assert.DoesNotContain(C.PrimarySingleReplicaDead, s.MatchedCodes(p));
        Assert.Equal(C.DeadPrimaryAndReplicas, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void AllPrimaryReplicasNotReplicating_when_every_replica_answers_and_none_replicates()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.StopReplication(r1).StopReplication(r2);
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.AllPrimaryReplicasNotReplicating, analysis.Analysis);
        Assert.False(analysis.IsActionableRecovery);
    }

    [Fact]
    public void AllPrimaryReplicasNotReplicating_not_reported_when_one_replica_does_not_answer()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.StopReplication(r1).Unreachable(r2);
        Assert.DoesNotContain(C.AllPrimaryReplicasNotReplicating, s.MatchedCodes(p));
    }

    [Fact]
    public void AllPrimaryReplicasNotReplicatingOrDead_when_some_replicas_do_not_answer_and_none_replicates()
    {
        var (s, p, r1, r2) = HealthyShard();
        s.StopReplication(r1).Unreachable(r2);
        Assert.Equal(C.AllPrimaryReplicasNotReplicatingOrDead, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void AllPrimaryReplicasNotReplicatingOrDead_not_reported_when_an_answering_replica_replicates()
    {
        var (s, p, _, r2) = HealthyShard();
        s.Unreachable(r2);
        Assert.DoesNotContain(C.AllPrimaryReplicasNotReplicatingOrDead, s.MatchedCodes(p));
    }

    [Fact]
    public void The_problem_table_holds_every_v24_code_and_the_quorum_code_of_main()
    {
        var codes = AnalysisProblems.All.Select(p => p.Code).ToList();
        // 34 of v24 (with IncapacitatedPrimary), main's PrimaryTabletUnreachableByQuorum, our ReplicationDiverged and PrimaryBehindReplica.
        Assert.Equal(37, codes.Count);
        Assert.Contains(C.ReplicationDiverged, codes);
        Assert.Contains(C.PrimaryBehindReplica, codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Contains(C.IncapacitatedPrimary, codes);
        Assert.Contains(C.PrimaryTabletUnreachableByQuorum, codes);
    }
}
