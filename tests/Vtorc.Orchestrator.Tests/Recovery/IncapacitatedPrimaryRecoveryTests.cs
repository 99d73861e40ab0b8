using Grpc.Core;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>RecoverIncapacitatedPrimary (go/vt/vtorc/logic/topology_recovery.go, Vitess v24) through the pipeline, with a
/// fake tablet manager: Ping first, then PRS avoiding the primary, ERS only as the fallback.</summary>
public sealed class IncapacitatedPrimaryRecoveryTests
{
    private const string UuidA = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    private static readonly string P = ShardScenario.AliasOf(100);
    private static readonly string R1 = ShardScenario.AliasOf(101);
    private static readonly string R2 = ShardScenario.AliasOf(102);

    /// <summary>The primary's last poll failed, its three polls before too: IncapacitatedPrimary, not UnreachablePrimary.</summary>
    private static ShardScenario IncapacitatedShard()
    {
        var s = new ShardScenario();
        s.Primary();
        s.Replica(101);
        s.Replica(102);
        var length = AnalysisSettings.Default.PrimaryHealthWindow;
        var health = PrimaryHealthWindow.Empty;
        foreach (int seconds in new[] { -30, -20, -10 })
        {
            health = health.Record(ShardScenario.Now.AddSeconds(seconds), false, length);
        }
        return s.WithGrpcPorts().Unreachable(P).Observe(P, o => o with { PrimaryHealth = health });
    }

    [Fact]
    public async Task A_primary_that_does_not_answer_Ping_is_left_alone_and_no_recovery_is_registered()
    {
        await using var h = await PipelineHarness.CreateAsync(IncapacitatedShard(), registerTablets: true);
        Assert.Equal(C.IncapacitatedPrimary, h.State.AnalysisOf(P).Analysis);
        h.Tablets.Unreachable(P);

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.NotAttempted, result.Outcome);
        Assert.Contains("does not answer Ping", result.Message, StringComparison.Ordinal);
        Assert.Equal(["Ping"], h.Tablets.Calls.Select(c => c.Rpc));
        Assert.Empty(h.History.Recoveries);
        Assert.Equal(0, h.Metrics.Count("RecoveriesCount RecoverIncapacitatedPrimary ks 0"));
    }

    [Fact]
    public async Task A_failed_PRS_is_not_followed_by_ERS_when_emergency_reparents_are_disabled()
    {
        await using var h = await PipelineHarness.CreateAsync(IncapacitatedShard(), registerTablets: true,
            settings: RecoverySettings.Default with { AllowEmergencyReparent = false });
        h.Tablets.Unreachable(P);
        h.Tablets.Returns(P, "Ping", "pong");

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Failed, result.Outcome);
        var recovery = Assert.Single(h.History.Recoveries);
        Assert.Equal("RecoverIncapacitatedPrimary", recovery.Registration.RecoveryName);
        Assert.True(recovery.Registration.IsShardWide);
        Assert.Equal($"starting PlannedReparentShard away from incapacitated primary {P}", recovery.Steps[0]);
        Assert.Contains(recovery.Steps, s => s.Contains("not falling back to EmergencyReparentShard", StringComparison.Ordinal));
        Assert.Empty(h.Tablets.CallsTo("PromoteReplica"));
        Assert.Empty(h.Tablets.CallsTo("StopReplicationAndGetStatus"));
    }

    [Fact]
    public async Task A_failed_PRS_falls_back_to_ERS_which_promotes_the_most_advanced_replica()
    {
        string Pos(string range) => $"MySQL56/{UuidA}:{range}";
        await using var h = await PipelineHarness.CreateAsync(IncapacitatedShard(), registerTablets: true);
        h.Tablets.Unreachable(P);
        h.Tablets.Returns(P, "Ping", "pong");
        h.Tablets.StoppedAt(R1, Pos("1-8"), UuidA);
        h.Tablets.StoppedAt(R2, Pos("1-10"), UuidA);
        h.Tablets.Returns(R2, "PromoteReplica", Pos("1-10"));

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(R2, result.PromotedAlias);
        var recovery = Assert.Single(h.History.Recoveries);
        Assert.Contains(recovery.Steps, s => s.Contains("falling back to EmergencyReparentShard", StringComparison.Ordinal));
        Assert.Equal(R2, recovery.Resolution!.SuccessorAlias);
        // The primary answered Ping before anything else was asked of it, and PRS tried first.
        Assert.Equal("Ping", h.Tablets.Calls.First(c => c.Alias == P).Rpc);
        Assert.True(h.Tablets.IndexOf("Ping", P) < h.Tablets.IndexOf("StopReplicationAndGetStatus", R1));
        Assert.Equal([R2], h.Tablets.CallsTo("PromoteReplica").Select(c => c.Alias));
    }

    [Fact]
    public async Task Under_the_lock_the_primary_is_refreshed_not_skipped()
    {
        await using var h = await PipelineHarness.CreateAsync(IncapacitatedShard(), registerTablets: true);
        h.Tablets.Unreachable(P);
        h.Tablets.Returns(P, "Ping", "pong");
        // The poll under the lock finds the primary answering again: the window is still unhealthy but the check is
        // valid, so the analysis is gone and nothing is done.
        h.State.OnPoll(P, o => o with { LastSeen = o.LastChecked.AddSeconds(1), LastChecked = o.LastChecked.AddSeconds(1), LastAttemptedCheck = o.LastChecked.AddSeconds(1) });

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Skipped, result.Outcome);
        Assert.Equal(RecoverySkipReason.StaleAnalysis, result.SkipReason);
        // Not reached at its last poll, it is probed on a new connection (docs/vitess-compatibility.md); either way its
        // fresh state decides.
        Assert.Contains(P, h.State.Polls);
        Assert.Empty(h.Tablets.Calls);
    }
}
