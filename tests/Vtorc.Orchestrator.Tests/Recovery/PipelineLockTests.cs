using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>The shard try-lock of pipeline step 7 (docs/operation-steps.md) on the in-memory topology: another holder wins,
/// we retry later.</summary>
public sealed class PipelineLockTests
{
    private static readonly string R1 = ShardScenario.AliasOf(101);

    private static ShardScenario ReplicaStopped()
    {
        var s = new ShardScenario();
        s.Primary();
        s.Replica(101);
        s.Replica(102);
        return s.StopReplication(R1);
    }

    [Fact]
    public async Task A_shard_locked_by_someone_else_is_left_alone_recorded_and_recovered_on_a_later_run()
    {
        await using var h = await PipelineHarness.CreateAsync(ReplicaStopped());
        var other = await h.Topo.Locks.TryLockShardAsync(ShardScenario.Keyspace, ShardScenario.Shard, "PlannedReparentShard by an operator",
            PipelineHarness.Deadline());
        RecoveryExecution first;
        try
        {
            first = await h.ExecuteAsync(R1);

            Assert.Equal(RecoveryOutcome.ShardLocked, first.Outcome);
            Assert.Empty(h.Tablets.Calls);
            Assert.DoesNotContain("RefreshShard ks/0", h.State.Calls);
            Assert.Empty(h.History.Recoveries);
            var skipped = Assert.Single(h.History.Skipped);
            Assert.Equal("ShardLocked", skipped.Reason);
            Assert.Contains("locked by someone else", skipped.Message);
            Assert.True(h.Logger.Has(LogLevel.Information, "retrying next tick"), h.Logger.ToString());
            var queue = await h.LockQueueAsync();
            Assert.Equal("PlannedReparentShard by an operator", Assert.Single(queue).Descriptor!.Action);
        }
        finally
        {
            await other.UnlockAsync(PipelineHarness.Deadline());
        }

        var second = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Succeeded, second.Outcome);
        Assert.Equal(2, h.History.Detections.Count);
        Assert.Equal(["SetReadOnly", "SetReplicationSource", "ReplicationStatus"], h.Tablets.Calls.Select(c => c.Rpc));
    }

    [Fact]
    public async Task The_shard_lock_carries_VTOrcs_description_while_recovering_and_is_released_after()
    {
        await using var h = await PipelineHarness.CreateAsync(ReplicaStopped());
        string? holder = null;
        h.Tablets.On(R1, "SetReadOnly", async (_, _) =>
        {
            var queue = await h.LockQueueAsync();
            holder = queue.Count == 1 ? queue[0].Descriptor?.Action : $"{queue.Count} entries";
            return null;
        });

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal($"VTOrc Recovery for {C.ReplicationStopped} on {R1}", holder);
        Assert.Equal(RecoveryLockDescription.For(C.ReplicationStopped, R1), holder);
        Assert.Empty(await h.LockQueueAsync());
        Assert.Equal(0, h.Metrics.ShardLocksActive);
        Assert.Equal(0, h.Pipeline.ShardLocksHeld);
        Assert.Equal(0, h.Metrics.PendingRecoveries);
        Assert.Equal(1, h.Metrics.Count("ShardLockTimings Lock"));
        Assert.Equal(1, h.Metrics.Count("ShardLockTimings Unlock"));
    }

    [Fact]
    public async Task After_shutdown_begins_no_lock_is_taken()
    {
        await using var h = await PipelineHarness.CreateAsync(ReplicaStopped());
        h.Pipeline.BeginShutdown();

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.NotAttempted, result.Outcome);
        Assert.Contains("SIGTERM received", result.Message);
        Assert.Empty(h.Tablets.Calls);
        Assert.DoesNotContain("RefreshShard ks/0", h.State.Calls);
    }
}
