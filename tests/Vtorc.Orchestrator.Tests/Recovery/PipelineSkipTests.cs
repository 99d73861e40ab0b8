using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>Every reason the pipeline does not recover (pipeline steps 3, 5, 6 and 8c of docs/operation-steps.md), over
/// the in-memory topology.</summary>
public sealed class PipelineSkipTests
{
    private static readonly string P = ThreeTabletShard.P;
    private static readonly string R1 = ThreeTabletShard.R1;
    private static readonly string R2 = ThreeTabletShard.R2;


    [Fact]
    public async Task An_analysis_without_recovery_is_skipped_before_anything_is_recorded()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().NeverPolled(R1));
        Assert.Equal(C.InvalidReplica, h.State.AnalysisOf(R1).Analysis);

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Skipped, result.Outcome);
        Assert.Equal(RecoverySkipReason.NoRecoveryAction, result.SkipReason);
        Assert.Empty(h.History.Detections);
        Assert.Empty(h.State.Calls);
        Assert.Empty(h.Tablets.Calls);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries NoRecovery ks 0 NoRecoveryAction"));
        Assert.True(h.Logger.Has(LogLevel.Debug, $"no recovery action for {C.InvalidReplica} on {R1}"), h.Logger.ToString());
    }

    [Fact]
    public async Task Errant_gtids_are_not_recovered_unless_draining_is_enabled()
    {
        await using var h = await PipelineHarness.CreateAsync(
            ThreeTabletShard.Healthy().Observe(R1, o => o with { GtidErrant = "00000000-0000-0000-0000-000000000101:1-2", GtidErrantCount = 2 }));
        Assert.Equal(C.ErrantGtidDetected, h.State.AnalysisOf(R1).Analysis);

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoverySkipReason.NoRecoveryAction, result.SkipReason);
        Assert.Contains("--change-tablets-with-errant-gtid-to-drained is off", result.Message);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries RecoverErrantGTIDDetected ks 0 NoRecoveryAction"));
        Assert.Empty(h.Tablets.Calls);
    }

    [Theory]
    [InlineData("global", "--allow-emergency-reparent is false")]
    [InlineData("keyspace", "emergency reparent is disabled for keyspace ks")]
    [InlineData("shard", "emergency reparent is disabled for shard ks/0")]
    public async Task A_dead_primary_is_not_failed_over_while_emergency_reparent_is_disabled(string where, string reason)
    {
        var settings = RecoverySettings.Default with { AllowEmergencyReparent = where != "global" };
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.DeadPrimary(), settings: settings);
        if (where == "keyspace")
        {
            h.State.SetKeyspace(k => k with { EmergencyReparentDisabled = true });
        }
        if (where == "shard")
        {
            h.State.SetShard(s => s with { EmergencyReparentDisabled = true });
        }
        Assert.Equal(C.DeadPrimary, h.State.AnalysisOf(P).Analysis);

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Skipped, result.Outcome);
        Assert.Equal(RecoverySkipReason.EmergencyReparentShardDisabled, result.SkipReason);
        Assert.Empty(h.History.Detections);
        Assert.Empty(h.Tablets.Calls);
        Assert.Empty(h.State.Calls);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries RecoverDeadPrimary ks 0 EmergencyReparentShardDisabled"));
        Assert.True(h.Logger.Has(LogLevel.Information, reason), h.Logger.ToString());
    }

    [Fact]
    public async Task Global_disable_skips_the_recovery_but_records_the_detection()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1));
        h.History.GlobalRecoveryDisabled = true;

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoverySkipReason.GlobalRecoveriesDisabled, result.SkipReason);
        var detection = Assert.Single(h.History.Detections);
        Assert.Equal(C.ReplicationStopped, detection.Analysis);
        Assert.Equal(R1, detection.AnalyzedInstanceAlias);
        var skipped = Assert.Single(h.History.Skipped);
        Assert.Equal(nameof(RecoverySkipReason.GlobalRecoveriesDisabled), skipped.Reason);
        Assert.Equal(result.DetectionId, skipped.DetectionId);
        Assert.Empty(h.Tablets.Calls);
        Assert.Empty(h.State.Calls);
        Assert.Empty(h.History.Recoveries);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries FixReplica ks 0 GlobalRecoveriesDisabled"));
        Assert.True(h.Logger.Has(LogLevel.Information, "recoveries are disabled globally"), h.Logger.ToString());
    }

    [Fact]
    public async Task A_problem_gone_after_the_refresh_under_the_lock_is_already_fixed()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1));
        h.State.OnPoll(R1, o => o with
        {
            ReplicationIoThreadState = ReplicationThreadState.Running,
            ReplicationSqlThreadState = ReplicationThreadState.Running,
        });

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Skipped, result.Outcome);
        Assert.Equal(RecoverySkipReason.StaleAnalysis, result.SkipReason);
        // Before the lock the replica's source is polled; under it the replica, then the shard primary.
        Assert.Equal([$"Poll {P}", "RefreshShard ks/0", "RefreshTablets ks/0", $"Poll {R1}", $"Poll {P}"], h.State.Calls);
        Assert.Empty(h.Tablets.Calls);
        Assert.Empty(h.History.Recoveries);
        Assert.Single(h.History.Detections);
        Assert.Equal(nameof(RecoverySkipReason.StaleAnalysis), Assert.Single(h.History.Skipped).Reason);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries FixReplica ks 0 StaleAnalysis"));
        Assert.Empty(await h.LockQueueAsync());
        Assert.Equal(0, h.Metrics.ShardLocksActive);
    }

    [Fact]
    public async Task Another_code_with_the_same_recovery_after_the_refresh_still_recovers()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1));
        // Under the lock the replica turns out to replicate from the wrong source: still FixReplica, so it proceeds.
        h.State.OnPoll(R1, o => o with
        {
            SourceHost = ShardScenario.HostOf(102),
            ReplicationIoThreadState = ReplicationThreadState.Running,
            ReplicationSqlThreadState = ReplicationThreadState.Running,
        });

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(C.ConnectedToWrongPrimary, Assert.Single(h.History.Recoveries).Registration.Analysis.Analysis);
        Assert.Contains($"parent={P}", h.Tablets.CallsTo("SetReplicationSource").Single().Args);
    }

    [Fact]
    public async Task A_primary_that_needs_recovery_first_aborts_a_replica_fix_before_locking()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1).StopReplication(R2));
        Assert.Equal(C.ReplicationStopped, h.State.AnalysisOf(R1).Analysis);
        h.State.OnPoll(P, o => o.WithFailedCheck(o.LastSeen.AddSeconds(10), partialSuccess: false, diskStalled: false));

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoverySkipReason.PrimaryRecovery, result.SkipReason);
        Assert.Contains($"aborting {C.ReplicationStopped} on {R1}, primary mitigation is required", result.Message);
        Assert.Equal([$"Poll {P}"], h.State.Calls);
        Assert.Empty(h.Tablets.Calls);
        Assert.Single(h.History.Detections);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries FixReplica ks 0 PrimaryRecovery"));
    }
}
