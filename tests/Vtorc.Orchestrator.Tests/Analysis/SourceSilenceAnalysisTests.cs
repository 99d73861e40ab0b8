using Vtorc.Orchestrator.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>
/// "Silence is not health" (docs/reliability.md): a replica whose agent reports that it has heard nothing from its
/// source for <see cref="InstanceObservation.SilentAfterHeartbeats"/> heartbeat intervals does not count as
/// replicating; an unknown silence (real vttablets, MySQL) changes nothing.
/// </summary>
public sealed class SourceSilenceAnalysisTests
{
    private static (ShardScenario Scenario, string Primary, string R1, string R2) UnreachablePrimary()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        s.Unreachable(p);
        return (s, p, r1, r2);
    }

    private static Func<InstanceObservation, InstanceObservation> Silent(double seconds) =>
        o => o with { HeartbeatInterval = 2, ReplicaNetTimeout = 4, SourceSilenceSeconds = seconds };

    [Fact]
    public void DeadPrimary_when_the_primary_is_unreachable_and_every_replica_hears_nothing_from_it()
    {
        var (s, p, r1, r2) = UnreachablePrimary();
        s.Observe(r1, Silent(6)).Observe(r2, Silent(9.5));

        var analysis = s.AnalysisOf(p)!;

        Assert.Equal(C.DeadPrimary, analysis.Analysis);
        Assert.Equal(2, analysis.CountValidReplicas);
        Assert.Equal(0, analysis.CountValidReplicatingReplicas);
    }

    [Fact]
    public void No_DeadPrimary_when_the_replicas_still_hear_heartbeats()
    {
        var (s, p, r1, r2) = UnreachablePrimary();
        s.Observe(r1, Silent(1.9)).Observe(r2, Silent(5.9));

        var codes = s.MatchedCodes(p);

        Assert.DoesNotContain(C.DeadPrimary, codes);
        Assert.Equal(C.UnreachablePrimary, codes[0]);
    }

    [Fact]
    public void No_DeadPrimary_while_one_replica_still_hears_the_primary()
    {
        var (s, p, r1, r2) = UnreachablePrimary();
        s.Observe(r1, Silent(30)).Observe(r2, Silent(0.5));

        var codes = s.MatchedCodes(p);

        Assert.DoesNotContain(C.DeadPrimary, codes);
        Assert.Equal(C.UnreachablePrimaryWithBrokenReplicas, codes[0]);
    }

    [Fact]
    public void Unknown_silence_means_no_information_not_silent()
    {
        var (s, p, r1, r2) = UnreachablePrimary();
        s.Observe(r1, o => o with { SourceSilenceSeconds = null }).Observe(r2, o => o with { SourceSilenceSeconds = null });

        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void Silence_without_a_heartbeat_interval_is_no_information()
    {
        // Heartbeats switched off: an idle primary sends nothing at all, so silence says nothing about it.
        var (s, p, r1, r2) = UnreachablePrimary();
        Func<InstanceObservation, InstanceObservation> noHeartbeat = o => o with { HeartbeatInterval = 0, SourceSilenceSeconds = 600 };
        s.Observe(r1, noHeartbeat).Observe(r2, noHeartbeat);

        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void A_silent_replica_is_not_reported_as_stopped_replication_by_itself()
    {
        // Silence only decides whether the source still has a replicating replica; the replica's own repair codes
        // keep Vitess's thread-based meaning.
        var s = new ShardScenario();
        s.Primary();
        var r1 = s.Replica(101);
        s.Replica(102);
        s.Observe(r1, Silent(60));

        Assert.DoesNotContain(C.ReplicationStopped, s.MatchedCodes(r1));
    }
}
