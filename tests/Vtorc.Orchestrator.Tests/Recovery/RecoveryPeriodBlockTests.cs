using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// Our anti-flapping block (<c>--recovery-period-block-duration</c>, deliberately kept from VTOrc ≤v19): a second
/// shard-wide recovery of a shard within the period is skipped unless the first was acknowledged.
/// </summary>
public sealed class RecoveryPeriodBlockTests
{
    private static readonly string P = ThreeTabletShard.P;
    private static readonly string R1 = ThreeTabletShard.R1;
    private static readonly string R2 = ThreeTabletShard.R2;


    [Fact]
    public async Task A_second_shard_wide_recovery_within_the_period_is_skipped_with_the_remaining_time()
    {
        var ers = new FakeRecoveryAction(RecoveryFunction.RecoverDeadPrimary, promotes: R1);
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.DeadPrimary(), actions: [ers]);

        var first = await h.ExecuteAsync(P);
        Assert.Equal(RecoveryOutcome.Succeeded, first.Outcome);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Skipped, second.Outcome);
        Assert.Equal(RecoverySkipReason.RecoveryPeriodBlock, second.SkipReason);
        Assert.Contains("20 s remaining", second.Message);
        Assert.Contains($"acknowledge recovery {first.RecoveryId}", second.Message);
        Assert.Equal(1, ers.Runs);
        Assert.Equal(2, h.History.Detections.Count);
        var skipped = Assert.Single(h.History.Skipped);
        Assert.Equal(nameof(RecoverySkipReason.RecoveryPeriodBlock), skipped.Reason);
        Assert.Equal(second.Message, skipped.Message);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries RecoverDeadPrimary ks 0 RecoveryPeriodBlock"));
        Assert.True(h.Logger.Has(LogLevel.Information, "20 s remaining"), h.Logger.ToString());
    }

    [Fact]
    public async Task Acknowledging_the_previous_recovery_lifts_the_block()
    {
        var ers = new FakeRecoveryAction(RecoveryFunction.RecoverDeadPrimary, promotes: R1);
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.DeadPrimary(), actions: [ers]);
        long previous = h.History.AddCompletedRecovery(h.State.AnalysisOf(P), "RecoverDeadPrimary", shardWide: true,
            ShardScenario.Now.AddSeconds(-15), ShardScenario.Now.AddSeconds(-5));
        Assert.Equal(RecoverySkipReason.RecoveryPeriodBlock, (await h.ExecuteAsync(P)).SkipReason);

        h.History.Acknowledge(previous);
        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(R1, result.PromotedAlias);
        Assert.Equal(1, ers.Runs);
    }

    [Fact]
    public async Task The_block_ends_when_the_period_has_passed()
    {
        var ers = new FakeRecoveryAction(RecoveryFunction.RecoverDeadPrimary);
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.DeadPrimary(), actions: [ers]);
        h.History.AddCompletedRecovery(h.State.AnalysisOf(P), "RecoverDeadPrimary", shardWide: true,
            ShardScenario.Now.AddSeconds(-40), ShardScenario.Now.AddSeconds(-30));

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(1, ers.Runs);
    }

    [Fact]
    public async Task A_zero_period_turns_the_block_off()
    {
        var ers = new FakeRecoveryAction(RecoveryFunction.RecoverDeadPrimary);
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.DeadPrimary(), actions: [ers],
            settings: RecoverySettings.Default with { RecoveryPeriodBlockDuration = TimeSpan.Zero });
        h.History.AddCompletedRecovery(h.State.AnalysisOf(P), "RecoverDeadPrimary", shardWide: true,
            ShardScenario.Now.AddSeconds(-2), ShardScenario.Now.AddSeconds(-1));

        Assert.Equal(RecoveryOutcome.Succeeded, (await h.ExecuteAsync(P)).Outcome);
    }

    [Fact]
    public async Task Recoveries_that_are_not_shard_wide_are_not_blocked()
    {
        var fix = new FakeRecoveryAction(RecoveryFunction.FixReplica);
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1), actions: [fix]);
        h.History.AddCompletedRecovery(h.State.AnalysisOf(R1) with { Analysis = C.DeadPrimary }, "RecoverDeadPrimary", shardWide: true,
            ShardScenario.Now.AddSeconds(-2), ShardScenario.Now.AddSeconds(-1));

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(1, fix.Runs);
    }
}
