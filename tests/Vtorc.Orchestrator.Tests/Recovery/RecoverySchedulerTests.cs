using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>The per-shard dispatch of CheckAndRecover (go/vt/vtorc/logic/topology_recovery.go, v24) with a fake
/// pipeline.</summary>
public sealed class RecoverySchedulerTests
{
    private static DetectionAnalysis A(string code, uint uid, string shard = "0") => new()
    {
        Analysis = code,
        AnalyzedInstanceAlias = $"zone1-{uid:D10}",
        AnalyzedKeyspace = "ks",
        AnalyzedShard = shard,
    };

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static (RecoveryScheduler Scheduler, FakeRecoveryExecutor Executor, FakeRecoveryMetrics Metrics) Create()
    {
        var executor = new FakeRecoveryExecutor();
        var metrics = new FakeRecoveryMetrics();
        return (new RecoveryScheduler(executor, metrics, new FakeLogger<RecoveryScheduler>()), executor, metrics);
    }

    [Fact]
    public async Task Ordered_problems_run_one_at_a_time_in_order_before_the_others()
    {
        var (scheduler, executor, _) = Create();

        Assert.True(await scheduler.RunTickAsync(
            [A(C.ReplicationStopped, 103), A(C.PrimarySemiSyncMustBeSet, 100), A(C.ReplicaSemiSyncMustBeSet, 101)], Deadline()));

        Assert.Equal(
            [$"start {C.ReplicaSemiSyncMustBeSet}", $"end {C.ReplicaSemiSyncMustBeSet}", $"start {C.PrimarySemiSyncMustBeSet}",
                $"end {C.PrimarySemiSyncMustBeSet}", $"start {C.ReplicationStopped}", $"end {C.ReplicationStopped}"],
            executor.Log);
    }

    [Fact]
    public async Task A_shard_wide_problem_ends_the_shards_work_for_the_tick_but_not_other_shards()
    {
        var (scheduler, executor, _) = Create();

        await scheduler.RunTickAsync([A(C.ReplicationStopped, 101), A(C.DeadPrimary, 100), A(C.ReplicaIsWritable, 201, shard: "-80")], Deadline());

        var log = executor.Log;
        Assert.Contains($"start {C.DeadPrimary}", log);
        Assert.Contains($"start {C.ReplicaIsWritable}", log);
        Assert.DoesNotContain($"start {C.ReplicationStopped}", log);
    }

    [Fact]
    public async Task Problems_without_order_run_concurrently()
    {
        var (scheduler, executor, _) = Create();
        executor.Hold(C.ReplicationStopped);

        var tick = scheduler.RunTickAsync([A(C.ReplicationStopped, 101), A(C.ReplicaIsWritable, 102)], Deadline());
        await executor.Started(C.ReplicationStopped).WaitAsync(Deadline());
        await executor.Started(C.ReplicaIsWritable).WaitAsync(Deadline());
        executor.Release(C.ReplicationStopped);

        Assert.True(await tick);
    }

    [Fact]
    public async Task A_tick_that_starts_while_the_previous_runs_does_nothing()
    {
        var (scheduler, executor, _) = Create();
        executor.Hold(C.DeadPrimary);
        var first = scheduler.RunTickAsync([A(C.DeadPrimary, 100)], Deadline());
        await executor.Started(C.DeadPrimary).WaitAsync(Deadline());

        bool second = await scheduler.RunTickAsync([A(C.ReplicationStopped, 101)], Deadline());
        executor.Release(C.DeadPrimary);

        Assert.False(second);
        Assert.True(await first);
        Assert.DoesNotContain($"start {C.ReplicationStopped}", executor.Log);
        Assert.True(await scheduler.RunTickAsync([A(C.ReplicationStopped, 101)], Deadline()));
    }

    [Fact]
    public async Task Detected_problems_are_the_ticks_analyses_with_a_problem()
    {
        var (scheduler, _, metrics) = Create();

        await scheduler.RunTickAsync([A(C.ReplicationStopped, 101), A(C.NoProblem, 102)], Deadline());

        Assert.Equal([new DetectedProblemLabels(C.ReplicationStopped, "zone1-0000000101", "ks", "0")], metrics.DetectedProblems);
    }
}
