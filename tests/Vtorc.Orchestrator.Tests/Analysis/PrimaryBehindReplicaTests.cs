using Vtorc.Orchestrator.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>
/// PrimaryBehindReplica and its decision (PrimaryBehindReplicas): a read-only primary that lacks transactions of its own
/// stream that a replica holds is reparented, never made writable; a replica's own errant writes do not count.
/// </summary>
public sealed class PrimaryBehindReplicaTests
{
    /// <summary>MariaDB shard: primary 100 restarted read-only with its binlog ending at 0-100-100.</summary>
    private static (ShardScenario Scenario, string Primary, string Replica1, string Replica2) RestartedMariaDbShard(string replica1State)
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        s.Observe(p, o => o with { ReadOnly = true, ExecutedGtidSet = "MariaDB/0-100-100", GtidBinlogState = "0-100-100" });
        s.Observe(r1, o => o with { ExecutedGtidSet = "MariaDB/" + replica1State.Split(',')[^1], GtidBinlogState = replica1State });
        s.Observe(r2, o => o with { ExecutedGtidSet = "MariaDB/0-100-100", GtidBinlogState = "0-100-100" });
        return (s, p, r1, r2);
    }

    [Fact]
    public void A_read_only_primary_lacking_a_commit_a_replica_holds_is_PrimaryBehindReplica_not_PrimaryIsReadOnly()
    {
        var (s, p, r1, _) = RestartedMariaDbShard("0-100-101");
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.PrimaryBehindReplica, analysis.Analysis);
        Assert.Contains(C.PrimaryIsReadOnly, s.MatchedCodes(p));
        var found = Assert.Single(PrimaryBehindReplicas.Find(s.Build(), p));
        Assert.Equal($"replica {r1} holds 0-100-101, primary {p}'s binary log ends at 0-100-100", found.Describe());
        Assert.True(found.ReplicaReachable);
    }

    [Fact]
    public void PrimaryBehindReplica_is_a_shard_wide_emergency_reparent_gated_like_the_others()
    {
        var mapped = RecoveryMapping.For(C.PrimaryBehindReplica);
        Assert.Equal(RecoveryFunction.RecoverPrimaryBehindReplica, mapped.Function);
        Assert.True(mapped.IsShardWide);
        Assert.Equal(RecoveryGate.EmergencyReparentEnabled, mapped.Gate);
    }

    [Fact]
    public void A_replicas_own_errant_write_leaves_the_primary_to_be_made_writable()
    {
        // Replica 101 wrote 0-101-101 itself: it is the diverged one (ErrantGTIDDetected), the primary is not behind.
        var (s, p, _, _) = RestartedMariaDbShard("0-100-100,0-101-101");
        Assert.Equal(C.PrimaryIsReadOnly, s.AnalysisOf(p)!.Analysis);
        Assert.Empty(PrimaryBehindReplicas.Find(s.Build(), p));
    }

    [Fact]
    public void Replicas_at_or_behind_the_primary_leave_it_to_be_made_writable()
    {
        var (s, p, _, _) = RestartedMariaDbShard("0-100-99");
        Assert.Equal(C.PrimaryIsReadOnly, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void A_writable_primary_is_not_judged_a_replica_polled_after_its_newest_writes_is_not_ahead()
    {
        var (s, p, _, _) = RestartedMariaDbShard("0-100-101");
        s.Observe(p, o => o with { ReadOnly = false });
        Assert.Null(s.AnalysisOf(p));
        Assert.Empty(PrimaryBehindReplicas.Find(s.Build(), p));
    }

    [Fact]
    public void An_unreachable_replica_holding_the_commit_keeps_the_primary_read_only_without_a_reparent()
    {
        var (s, p, r1, _) = RestartedMariaDbShard("0-100-101");
        s.Unreachable(r1);
        // No reparent (it could not elect the replica that holds the commit) ...
        Assert.DoesNotContain(C.PrimaryBehindReplica, s.MatchedCodes(p));
        // ... and FixPrimary's guard still refuses to make the primary writable.
        var found = Assert.Single(PrimaryBehindReplicas.Find(s.Build(), p));
        Assert.False(found.ReplicaReachable);
    }

    [Fact]
    public void Without_binlog_states_the_positions_decide()
    {
        var (s, p, r1, _) = RestartedMariaDbShard("0-100-101");
        s.Observe(p, o => o with { GtidBinlogState = "" }).Observe(r1, o => o with { GtidBinlogState = "" });
        Assert.Equal(C.PrimaryBehindReplica, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void MySQL_a_replica_holding_the_primarys_transaction_beyond_its_set_is_found_its_own_uuid_is_not()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        string primaryUuid = ShardScenario.UuidOf(100);
        string replicaUuid = ShardScenario.UuidOf(101);
        s.Observe(p, o => o with { ReadOnly = true, ExecutedGtidSet = $"MySQL56/{primaryUuid}:1-100" });
        s.Observe(r1, o => o with { ExecutedGtidSet = $"MySQL56/{primaryUuid}:1-100,{replicaUuid}:1-3" });
        Assert.Equal(C.PrimaryIsReadOnly, s.AnalysisOf(p)!.Analysis);

        s.Observe(r1, o => o with { ExecutedGtidSet = $"MySQL56/{primaryUuid}:1-101,{replicaUuid}:1-3" });
        Assert.Equal(C.PrimaryBehindReplica, s.AnalysisOf(p)!.Analysis);
        Assert.Equal($"{primaryUuid}:101", Assert.Single(PrimaryBehindReplicas.Find(s.Build(), p)).Holds);
    }

    [Fact]
    public void The_replicas_of_a_primary_behind_them_are_not_analysed_the_reparent_repairs_the_shard()
    {
        // Replica 101's IO thread is refused by the restarted primary (error 1236); draining it as diverged would
        // take away the one tablet that holds the commit.
        var (s, p, r1, _) = RestartedMariaDbShard("0-100-101");
        s.StopReplication(r1).Observe(r1, o => o with
        {
            LastIoError = "Got fatal error 1236 from master when reading data from binary log: 'Error: connecting slave requested to start from GTID 0-100-101, which is not in the master's binlog'",
        });
        var analyses = s.Analyze().Analyses;
        Assert.Equal(C.PrimaryBehindReplica, Assert.Single(analyses).Analysis);
        Assert.Equal(p, analyses[0].AnalyzedInstanceAlias);
    }
}
