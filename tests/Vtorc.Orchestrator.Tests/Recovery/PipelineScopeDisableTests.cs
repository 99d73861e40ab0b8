using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// Our per-keyspace and per-shard recovery switches at pipeline step 5 (docs/operation-steps.md), over the in-memory
/// topology: the problem of a disabled scope is detected and recorded, not repaired; other shards are repaired.
/// </summary>
public sealed class PipelineScopeDisableTests
{
    private static readonly string R1 = ThreeTabletShard.R1;
    private static readonly DateTimeOffset At = ShardScenario.Now;

    [Fact]
    public async Task A_disabled_shard_is_detected_and_not_repaired()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1));
        h.History.ScopeDisables.Add(new RecoveryDisable(RecoveryScope.ForShard("ks", "0"), "ui", "disk swap", At));

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Skipped, result.Outcome);
        Assert.Equal(RecoverySkipReason.ShardRecoveriesDisabled, result.SkipReason);
        Assert.Contains("recoveries disabled for shard ks/0 by ui (disk swap)", result.Message);
        Assert.Equal(C.ReplicationStopped, Assert.Single(h.History.Detections).Analysis);
        var skipped = Assert.Single(h.History.Skipped);
        Assert.Equal(nameof(RecoverySkipReason.ShardRecoveriesDisabled), skipped.Reason);
        Assert.Contains("recoveries disabled for shard ks/0", skipped.Message);
        Assert.Empty(h.Tablets.Calls);
        Assert.Empty(h.History.Recoveries);
        Assert.Empty(await h.LockQueueAsync());
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries FixReplica ks 0 ShardRecoveriesDisabled"));
        Assert.True(h.Logger.Has(LogLevel.Information, "recoveries disabled for shard ks/0"), h.Logger.ToString());
    }

    [Fact]
    public async Task Another_shards_disable_does_not_stop_the_repair()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1));
        h.History.ScopeDisables.Add(new RecoveryDisable(RecoveryScope.ForShard("ks", "-80"), "ui", "", At));
        h.History.ScopeDisables.Add(new RecoveryDisable(RecoveryScope.ForKeyspace("other"), "ui", "", At));

        var result = await h.ExecuteAsync(R1);

        // Repaired: the recovery ran (its success depends on the fake replica's status afterwards, not on the switch).
        Assert.Null(result.SkipReason);
        Assert.Single(h.History.Recoveries);
        Assert.NotEmpty(h.Tablets.CallsTo("SetReplicationSource"));
    }

    [Fact]
    public async Task A_disabled_keyspace_covers_its_shards()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1));
        h.History.ScopeDisables.Add(new RecoveryDisable(RecoveryScope.ForKeyspace("ks"), "alice", "", At));

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoverySkipReason.KeyspaceRecoveriesDisabled, result.SkipReason);
        Assert.Contains("recoveries disabled for keyspace ks by alice", result.Message);
        Assert.Empty(h.Tablets.Calls);
        Assert.Equal(1, h.Metrics.Count("SkippedRecoveries FixReplica ks 0 KeyspaceRecoveriesDisabled"));
    }

    [Fact]
    public async Task Enabling_the_shard_again_resumes_its_repair()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.Healthy().StopReplication(R1));
        h.History.ScopeDisables.Add(new RecoveryDisable(RecoveryScope.ForShard("ks", "0"), "ui", "", At));
        Assert.Equal(RecoverySkipReason.ShardRecoveriesDisabled, (await h.ExecuteAsync(R1)).SkipReason);

        h.History.ScopeDisables.Clear();
        var result = await h.ExecuteAsync(R1);

        Assert.Null(result.SkipReason);
        Assert.Single(h.History.Recoveries);
        Assert.NotEmpty(h.Tablets.CallsTo("SetReplicationSource"));
    }

    [Fact]
    public async Task A_dead_primary_of_a_disabled_shard_is_not_failed_over()
    {
        await using var h = await PipelineHarness.CreateAsync(ThreeTabletShard.DeadPrimary());
        h.History.ScopeDisables.Add(new RecoveryDisable(RecoveryScope.ForShard("ks", "0"), "ui", "", At));

        var result = await h.ExecuteAsync(ThreeTabletShard.P);

        Assert.Equal(RecoverySkipReason.ShardRecoveriesDisabled, result.SkipReason);
        Assert.Equal(C.DeadPrimary, Assert.Single(h.History.Detections).Analysis);
        Assert.Empty(h.Tablets.Calls);
        Assert.Empty(await h.LockQueueAsync());
    }
}
