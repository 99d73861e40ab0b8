using Topodata;
using Vtorc.Orchestrator.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>PrimaryTabletUnreachableByQuorum (Vitess main, go/vt/vtorc/inst/shard_peer_health.go and
/// analysis_problem.go): opt-in, the replicas' Ping reports vote, freshness, majority and fraction.</summary>
public sealed class PrimaryTabletUnreachableByQuorumTests
{
    private static readonly AnalysisSettings On = AnalysisSettings.Default with { Quorum = QuorumSettings.Default with { Enabled = true } };

    /// <summary>A primary whose last poll failed and three replicas, still replicating, whose Pings of it fail.</summary>
    private static (ShardScenario S, string Primary, string[] Replicas) Shard(long failures = 3, double pingAgeSeconds = 1)
    {
        // Detected only under a policy with semi-sync (ours; see the durability none test below).
        var s = new ShardScenario { Settings = On }.WithDurability(Vtorc.Reparent.Durability.DurabilityPolicyNames.SemiSync);
        var p = s.Primary();
        string[] replicas = [s.Replica(101), s.Replica(102), s.Replica(103)];
        s.Unreachable(p);
        foreach (var r in replicas)
        {
            Report(s, r, p, failures, pingAgeSeconds);
        }
        return (s, p, replicas);
    }

    private static void Report(ShardScenario s, string observer, string primary, long failures, double pingAgeSeconds) =>
        s.Observe(observer, o => o with
        {
            SelfReportedType = TabletType.Replica,
            ShardPeerHealth = [new ShardPeerReport(primary, failures, null, TimeSpan.FromSeconds(pingAgeSeconds))],
        });

    [Fact]
    public void Replicas_that_all_fail_to_ping_the_unreachable_primary_report_it_unreachable_by_quorum()
    {
        var (s, p, _) = Shard();
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.PrimaryTabletUnreachableByQuorum, analysis.Analysis);
        Assert.True(analysis.HasShardWideAction);
        Assert.Equal(RecoveryFunction.RecoverDeadPrimary, RecoveryMapping.For(C.PrimaryTabletUnreachableByQuorum).Function);
        Assert.Equal(RecoveryGate.EmergencyReparentEnabled, RecoveryMapping.For(C.PrimaryTabletUnreachableByQuorum).Gate);
    }

    [Fact]
    public void It_is_not_detected_under_durability_none_where_the_live_old_primary_would_stay_writable_beside_the_new_one()
    {
        var (s, p, _) = Shard();
        s.WithDurability(Vtorc.Reparent.Durability.DurabilityPolicyNames.None);
        Assert.DoesNotContain(C.PrimaryTabletUnreachableByQuorum, s.MatchedCodes(p));
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void It_is_off_unless_enabled()
    {
        var (s, p, _) = Shard();
        s.Settings = AnalysisSettings.Default;
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void A_primary_whose_last_poll_succeeded_is_not_reported()
    {
        var (s, p, _) = Shard();
        s.Observe(p, o => o with { LastChecked = o.LastSeen });
        Assert.DoesNotContain(C.PrimaryTabletUnreachableByQuorum, s.MatchedCodes(p));
    }

    [Fact]
    public void Below_the_failure_threshold_the_replicas_vote_up()
    {
        var (s, p, _) = Shard(failures: 2);
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void Stale_reports_do_not_vote()
    {
        // 15 s freshness: a Ping attempted 20 s ago says nothing about now.
        var (s, p, _) = Shard(pingAgeSeconds: 20);
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void Fresh_voters_must_be_a_majority_of_the_shards_replicas()
    {
        var (s, p, replicas) = Shard();
        // Only one of three replicas reports: 2 × 1 is not more than 3.
        s.Observe(replicas[1], o => o with { ShardPeerHealth = [] }).Observe(replicas[2], o => o with { ShardPeerHealth = [] });
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
        var verdict = PrimaryQuorum.Evaluate(s.Build(), p, On.Quorum, ShardScenario.Now);
        Assert.Equal((false, 1, 1, 1, 3), (verdict.IsDown, verdict.FreshObservers, verdict.DownVotes, verdict.EligibleObservers, verdict.ExpectedObservers));
    }

    [Fact]
    public void With_the_default_fraction_every_fresh_voter_must_say_down()
    {
        var (s, p, replicas) = Shard();
        Report(s, replicas[2], p, failures: 0, pingAgeSeconds: 1);
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
        s.Settings = On with { Quorum = On.Quorum with { Fraction = 0.6 } };
        Assert.Equal(C.PrimaryTabletUnreachableByQuorum, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void Only_tablets_that_report_themselves_as_replica_or_rdonly_vote()
    {
        var (s, p, replicas) = Shard();
        foreach (var r in replicas)
        {
            s.Observe(r, o => o with { SelfReportedType = TabletType.Drained });
        }
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void A_dead_primary_reports_DeadPrimary_first()
    {
        var (s, p, replicas) = Shard();
        foreach (var r in replicas)
        {
            s.StopReplication(r);
        }
        Assert.Equal([C.DeadPrimary, C.PrimaryTabletUnreachableByQuorum], s.MatchedCodes(p).Take(2));
    }

    [Fact]
    public void A_never_reached_primary_the_replicas_agree_is_down_is_upgraded_from_InvalidPrimary()
    {
        var (s, p, _) = Shard();
        s.NeverPolled(p);
        Assert.Equal(C.PrimaryTabletUnreachableByQuorum, s.AnalysisOf(p)!.Analysis);
        s.Settings = AnalysisSettings.Default;
        Assert.Equal(C.InvalidPrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void Unusable_thresholds_never_say_down()
    {
        var (s, p, _) = Shard();
        var verdict = PrimaryQuorum.Evaluate(s.Build(), p, On.Quorum with { MinObservers = 0 }, ShardScenario.Now);
        Assert.False(verdict.IsDown);
        Assert.Contains("min-observers", verdict.Reason);
    }

    [Fact]
    public void Every_observer_vote_is_shown_by_alias_stale_ones_included()
    {
        var (s, p, replicas) = Shard();
        Report(s, replicas[0], p, failures: 0, pingAgeSeconds: 1);
        Report(s, replicas[2], p, failures: 7, pingAgeSeconds: 40);
        var verdict = PrimaryQuorum.Evaluate(s.Build(), p, On.Quorum, ShardScenario.Now);
        Assert.Equal(
            [
                new QuorumObserverVote(replicas[0], TabletType.Replica, true, 0, QuorumObserverVote.Up),
                new QuorumObserverVote(replicas[1], TabletType.Replica, true, 3, QuorumObserverVote.Down),
                new QuorumObserverVote(replicas[2], TabletType.Replica, false, 7, QuorumObserverVote.Stale),
            ], verdict.Observers);
        Assert.Equal((false, 2, 1, 3), (verdict.IsDown, verdict.FreshObservers, verdict.DownVotes, verdict.EligibleObservers));
    }

    [Fact]
    public void Unusable_thresholds_still_show_the_votes()
    {
        var (s, p, _) = Shard();
        var verdict = PrimaryQuorum.Evaluate(s.Build(), p, On.Quorum with { Fraction = 0 }, ShardScenario.Now);
        Assert.False(verdict.IsDown);
        Assert.Equal(3, verdict.Observers.Count(v => v.Vote == QuorumObserverVote.Down));
    }
}
