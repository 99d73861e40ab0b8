using Microsoft.Extensions.Time.Testing;
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

    private static int Starts(FakeRecoveryExecutor executor, string code) => executor.Log.Count(l => l == $"start {code}");

    [Fact]
    public async Task A_shard_whose_lock_another_orchestrator_held_is_tried_again_only_a_recovery_period_later()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var executor = new FakeRecoveryExecutor();
        executor.Answer(C.DeadPrimary, RecoveryOutcome.ShardLocked);
        var scheduler = new RecoveryScheduler(executor, new FakeRecoveryMetrics(), new FakeLogger<RecoveryScheduler>(),
            time: time, lockRetryPeriod: () => TimeSpan.FromSeconds(1));
        DetectionAnalysis[] problems = [A(C.DeadPrimary, 100), A(C.ReplicaIsWritable, 201, shard: "-80")];

        await scheduler.RunTickAsync(problems, Deadline());
        // Early ticks (asked for by health signals) within the period: the locked shard is left alone, the other is not.
        time.Advance(TimeSpan.FromMilliseconds(400));
        await scheduler.RunTickAsync(problems, Deadline());
        time.Advance(TimeSpan.FromMilliseconds(599));
        await scheduler.RunTickAsync(problems, Deadline());
        Assert.Equal(1, Starts(executor, C.DeadPrimary));
        Assert.Equal(3, Starts(executor, C.ReplicaIsWritable));

        // The regular tick a period after the attempt tries the lock again.
        time.Advance(TimeSpan.FromMilliseconds(1));
        await scheduler.RunTickAsync(problems, Deadline());
        Assert.Equal(2, Starts(executor, C.DeadPrimary));
    }

    [Fact]
    public async Task A_shard_whose_recovery_got_its_lock_is_tried_again_at_the_next_early_tick()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var executor = new FakeRecoveryExecutor();
        executor.Answer(C.DeadPrimary, RecoveryOutcome.Failed);
        var scheduler = new RecoveryScheduler(executor, new FakeRecoveryMetrics(), new FakeLogger<RecoveryScheduler>(),
            time: time, lockRetryPeriod: () => TimeSpan.FromSeconds(1));

        await scheduler.RunTickAsync([A(C.DeadPrimary, 100)], Deadline());
        time.Advance(TimeSpan.FromMilliseconds(100));
        await scheduler.RunTickAsync([A(C.DeadPrimary, 100)], Deadline());

        Assert.Equal(2, Starts(executor, C.DeadPrimary));
    }

    [Fact]
    public async Task Ordered_problems_run_one_at_a_time_in_order_before_the_others()
    {
        var (scheduler, executor, _) = Create();

        Assert.True(await scheduler.RunTickAsync(
            [A(C.ReplicationStopped, 103), A(C.PrimarySemiSyncMustBeSet, 100), A(C.ReplicaSemiSyncMustBeSet, 101)], Deadline()));

        // ReplicationStopped is ordered (it must run before PrimarySemiSyncBlocked) and keeps its place at the front.
        Assert.Equal(
            [$"start {C.ReplicationStopped}", $"end {C.ReplicationStopped}", $"start {C.ReplicaSemiSyncMustBeSet}",
                $"end {C.ReplicaSemiSyncMustBeSet}", $"start {C.PrimarySemiSyncMustBeSet}", $"end {C.PrimarySemiSyncMustBeSet}"],
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
        executor.Hold(C.ReplicaMisconfigured);

        var tick = scheduler.RunTickAsync([A(C.ReplicaMisconfigured, 101), A(C.ReplicaIsWritable, 102)], Deadline());
        await executor.Started(C.ReplicaMisconfigured).WaitAsync(Deadline());
        await executor.Started(C.ReplicaIsWritable).WaitAsync(Deadline());
        executor.Release(C.ReplicaMisconfigured);

        Assert.True(await tick);
    }

    [Fact]
    public async Task A_shard_whose_problems_were_left_out_is_announced_when_its_recovery_ends_and_others_are_not()
    {
        var (scheduler, executor, _) = Create();
        var freed = new System.Collections.Concurrent.ConcurrentQueue<(string Keyspace, string Shard)>();
        scheduler.ShardFreedWithProblemsWaiting += freed.Enqueue;
        executor.Hold(C.ReplicationStopped);
        var first = scheduler.Dispatch([A(C.ReplicationStopped, 101), A(C.ReplicaIsWritable, 201, shard: "-80")], Deadline());
        await executor.Started(C.ReplicationStopped).WaitAsync(Deadline());

        // A replica repair of ks/0 is under way when its primary is found dead: that problem waits for the repair.
        var second = scheduler.Dispatch([A(C.DeadPrimary, 100)], Deadline());
        await second.Completion.WaitAsync(Deadline());
        Assert.Equal(1, second.ShardsSkipped);
        Assert.Empty(freed);

        executor.Release(C.ReplicationStopped);
        await first.Completion.WaitAsync(Deadline());

        Assert.Equal([("ks", "0")], freed.ToArray());
    }

    // Before issue 14 a tick that started while the previous one ran did nothing at all (every shard waited for the
    // slowest): now only the shard whose recovery is still in flight is left out.
    [Fact]
    public async Task A_shard_whose_recovery_is_in_flight_is_left_out_of_the_next_tick_and_other_shards_are_dispatched()
    {
        var (scheduler, executor, _) = Create();
        executor.Hold(C.DeadPrimary);
        var first = scheduler.Dispatch([A(C.DeadPrimary, 100)], Deadline());
        await executor.Started(C.DeadPrimary).WaitAsync(Deadline());

        var second = scheduler.Dispatch([A(C.ReplicationStopped, 101), A(C.ReplicaIsWritable, 201, shard: "-80")], Deadline());
        await second.Completion.WaitAsync(Deadline());

        Assert.Equal((1, 1), (second.ShardsStarted, second.ShardsSkipped));
        Assert.DoesNotContain($"start {C.ReplicationStopped}", executor.Log);
        Assert.Contains($"end {C.ReplicaIsWritable}", executor.Log);
        Assert.False(first.Completion.IsCompleted);
        executor.Release(C.DeadPrimary);
        await first.Completion.WaitAsync(Deadline());
        Assert.True(await scheduler.RunTickAsync([A(C.ReplicationStopped, 101)], Deadline()));
        Assert.Contains($"end {C.ReplicationStopped}", executor.Log);
    }

    [Fact]
    public async Task Dispatch_returns_while_the_recoveries_it_started_still_run()
    {
        var (scheduler, executor, _) = Create();
        executor.Hold(C.DeadPrimary);

        var dispatch = scheduler.Dispatch([A(C.DeadPrimary, 100)], Deadline());
        await executor.Started(C.DeadPrimary).WaitAsync(Deadline());

        Assert.Equal(1, scheduler.ShardsInFlight);
        Assert.False(dispatch.Completion.IsCompleted);
        Assert.False(scheduler.WhenInFlightDoneAsync().IsCompleted);
        executor.Release(C.DeadPrimary);
        await dispatch.Completion.WaitAsync(Deadline());
        await scheduler.WhenInFlightDoneAsync().WaitAsync(Deadline());
        Assert.Equal(0, scheduler.ShardsInFlight);
    }

    [Fact]
    public async Task With_a_bound_of_one_a_second_shard_waits_until_the_first_finishes()
    {
        var executor = new FakeRecoveryExecutor();
        var logger = new FakeLogger<RecoveryScheduler>();
        var scheduler = new RecoveryScheduler(executor, new FakeRecoveryMetrics(), logger, maxConcurrentRecoveries: 1);
        executor.Hold(C.DeadPrimary);
        var first = scheduler.Dispatch([A(C.DeadPrimary, 100)], Deadline());
        await executor.Started(C.DeadPrimary).WaitAsync(Deadline());

        var second = scheduler.Dispatch([A(C.ReplicaIsWritable, 201, shard: "-80")], Deadline());
        // The second shard is in flight (dispatched) but holds no slot while the first does.
        await Poll.UntilAsync(() => Task.FromResult(logger.Has(Microsoft.Extensions.Logging.LogLevel.Information, "waits for a slot")),
            TimeSpan.FromSeconds(30), "the second shard logged that it waits for a slot");
        Assert.Equal((2, 1), (scheduler.ShardsInFlight, scheduler.ShardsRecovering));
        Assert.DoesNotContain($"start {C.ReplicaIsWritable}", executor.Log);

        executor.Release(C.DeadPrimary);
        await Task.WhenAll(first.Completion, second.Completion).WaitAsync(Deadline());
        var log = executor.Log.ToList();
        Assert.True(log.IndexOf($"end {C.DeadPrimary}") < log.IndexOf($"start {C.ReplicaIsWritable}"), string.Join(", ", log));
    }

    [Fact]
    public async Task Detected_problems_are_the_ticks_analyses_with_a_problem()
    {
        var (scheduler, _, metrics) = Create();

        await scheduler.RunTickAsync([A(C.ReplicationStopped, 101), A(C.NoProblem, 102)], Deadline());

        Assert.Equal([new DetectedProblemLabels(C.ReplicationStopped, "zone1-0000000101", "ks", "0")], metrics.DetectedProblems);
    }
}
