using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// VTOrc's <c>CheckAndRecover</c> dispatch (go/vt/vtorc/logic/topology_recovery.go, v24): per shard, first the analyses
/// that need ordered execution one after the other in <see cref="ProblemOrdering"/> order — stopping the shard after
/// the first shard-wide one, since everything else was analysed before it changed the shard — then the rest
/// concurrently. Shards run concurrently and independently: a tick starts the recoveries of every shard that has none
/// in flight in this process and returns without waiting for them, so a slow shard delays no other shard and no later
/// analysis. At most <c>--max-concurrent-recoveries</c> shards recover at once; the others wait for a slot
/// (docs/reliability.md, "Recoveries of different shards do not wait for each other").
/// </summary>
internal sealed class RecoveryScheduler
{
    /// <summary>The default of <c>--max-concurrent-recoveries</c>.</summary>
    public const int DefaultMaxConcurrentRecoveries = 256;

    private readonly IRecoveryExecutor _executor;
    private readonly IRecoveryMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _dispatchGate = new();
    // Shards with a recovery dispatched and not yet finished (running or waiting for a slot), with its task.
    private readonly ConcurrentDictionary<(string Keyspace, string Shard), Task> _inFlight = new();
    // Shards whose problems a tick left out because a recovery was in flight (guarded by _dispatchGate).
    private readonly HashSet<(string Keyspace, string Shard)> _leftOut = [];
    private readonly LockedElsewhereBackoff _lockedElsewhere = new();
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _lockRetryPeriod;

    /// <param name="lockRetryPeriod">How long a shard whose lock another orchestrator held is left alone (the recovery
    /// tick period, <c>--recovery-poll-duration</c>, read at each dispatch); one second when not given.</param>
    public RecoveryScheduler(IRecoveryExecutor executor, IRecoveryMetrics metrics, ILogger<RecoveryScheduler> logger,
        int maxConcurrentRecoveries = DefaultMaxConcurrentRecoveries, TimeProvider? time = null, Func<TimeSpan>? lockRetryPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        if (maxConcurrentRecoveries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConcurrentRecoveries), maxConcurrentRecoveries,
                "--max-concurrent-recoveries must be at least 1");
        }
        _executor = executor;
        _metrics = metrics;
        _logger = logger;
        MaxConcurrentRecoveries = maxConcurrentRecoveries;
        _time = time ?? TimeProvider.System;
        _lockRetryPeriod = lockRetryPeriod ?? (() => TimeSpan.FromSeconds(1));
        _slots = new SemaphoreSlim(maxConcurrentRecoveries, maxConcurrentRecoveries);
    }

    public int MaxConcurrentRecoveries { get; }

    /// <summary>
    /// Raised (on the finishing recovery's task) when a shard's recovery ended while a tick had left problems of that
    /// shard for later: a problem detected meanwhile (a DeadPrimary behind a replica repair) need not wait for the next
    /// tick. Handlers must be quick.
    /// </summary>
    public event Action<(string Keyspace, string Shard)>? ShardFreedWithProblemsWaiting;

    /// <summary>Shards whose recovery is running or waiting for a slot.</summary>
    public int ShardsInFlight => _inFlight.Count;

    /// <summary>Shards whose recovery holds a slot right now.</summary>
    public int ShardsRecovering => MaxConcurrentRecoveries - _slots.CurrentCount;

    /// <summary>
    /// Starts one tick's recoveries and returns at once: every shard with a problem and no recovery in flight here
    /// is dispatched; a shard with one in flight is left for a later tick.
    /// </summary>
    public RecoveryDispatch Dispatch(IEnumerable<DetectionAnalysis> analyses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        var problems = analyses.Where(a => a.Analysis != AnalysisCodes.NoProblem).ToList();
        _metrics.SetDetectedProblems(problems
            .Select(a => new DetectedProblemLabels(a.Analysis, a.AnalyzedInstanceAlias, a.AnalyzedKeyspace, a.AnalyzedShard))
            .ToArray());
        var started = new List<Task>();
        int skipped = 0;
        var now = _time.GetUtcNow();
        var period = _lockRetryPeriod();
        var byShard = problems.GroupBy(a => (a.AnalyzedKeyspace, a.AnalyzedShard)).ToList();
        _lockedElsewhere.KeepOnly(byShard.Select(g => g.Key).ToHashSet());
        lock (_dispatchGate)
        {
            foreach (var shard in byShard)
            {
                var key = shard.Key;
                if (_lockedElsewhere.WaitsUntil(key, now, period) is { } retry)
                {
                    _logger.ShardDeferredLockHeld(key.AnalyzedKeyspace, key.AnalyzedShard, shard.Count(), retry);
                    continue;
                }
                if (_inFlight.ContainsKey(key))
                {
                    skipped++;
                    _leftOut.Add(key);
                    _logger.ShardDeferredInFlight(key.AnalyzedKeyspace, key.AnalyzedShard, shard.Count());
                    continue;
                }
                // The entry goes in before the task starts, so that the task's own removal always finds it.
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var task = RunDispatchedAsync(key, shard.ToList(), now, start.Task, cancellationToken);
                _inFlight[key] = task;
                start.SetResult();
                started.Add(task);
            }
        }
        return new RecoveryDispatch(started.Count, skipped, Task.WhenAll(started));
    }

    /// <summary>Dispatches one tick's analyses and waits for the recoveries it started (tests, single passes).</summary>
    /// <returns>False when a shard was left out because a recovery of it was still in flight.</returns>
    public async Task<bool> RunTickAsync(IEnumerable<DetectionAnalysis> analyses, CancellationToken cancellationToken)
    {
        var dispatch = Dispatch(analyses, cancellationToken);
        await dispatch.Completion.ConfigureAwait(false);
        return dispatch.ShardsSkipped == 0;
    }

    /// <summary>Completes when every recovery in flight now has finished (shutdown waits on it).</summary>
    public Task WhenInFlightDoneAsync() => Task.WhenAll(_inFlight.Values);

    private async Task RunDispatchedAsync((string Keyspace, string Shard) shard, List<DetectionAnalysis> analyses, DateTimeOffset dispatchedAt,
        Task start, CancellationToken cancellationToken)
    {
        await start.ConfigureAwait(false);
        try
        {
            if (!_slots.Wait(0))
            {
                _logger.RecoveryWaitsForSlot(shard.Keyspace, shard.Shard, MaxConcurrentRecoveries);
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                _logger.RecoveryGotSlot(shard.Keyspace, shard.Shard);
            }
            try
            {
                await RunShardAsync(shard, analyses, dispatchedAt, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.RecoveryCancelledByShutdown(shard.Keyspace, shard.Shard);
        }
        catch (Exception e)
        {
            // Nobody awaits this task to see it fail (and shutdown awaits it): a broken dispatch is logged here.
            _logger.RecoveryDispatchFailed(e, shard.Keyspace, shard.Shard);
        }
        finally
        {
            bool leftOut;
            lock (_dispatchGate)
            {
                _inFlight.TryRemove(shard, out _);
                leftOut = _leftOut.Remove(shard);
            }
            if (leftOut)
            {
                try
                {
                    ShardFreedWithProblemsWaiting?.Invoke(shard);
                }
                catch (Exception e)
                {
                    _logger.RecoveryEndHandlerFailed(e, shard.Keyspace, shard.Shard, e.Message);
                }
            }
        }
    }

    private async Task RunShardAsync((string Keyspace, string Shard) shard, List<DetectionAnalysis> analyses, DateTimeOffset dispatchedAt,
        CancellationToken cancellationToken)
    {
        // Any of the shard's recoveries finding the lock held elsewhere holds the whole shard back until a later tick;
        // one that got past the lock check lets the next tick try again at once.
        var lockedElsewhere = 0;
        var pastTheLock = 0;
        async Task ExecuteAndNoteAsync(DetectionAnalysis analysis)
        {
            var outcome = await ExecuteAsync(analysis, cancellationToken).ConfigureAwait(false);
            if (outcome == RecoveryOutcome.ShardLocked)
            {
                Interlocked.Increment(ref lockedElsewhere);
            }
            else if (outcome is not null)
            {
                Interlocked.Increment(ref pastTheLock);
            }
        }
        try
        {
            await RunShardInOrderAsync(shard, analyses, ExecuteAndNoteAsync).ConfigureAwait(false);
        }
        finally
        {
            if (lockedElsewhere > 0 && pastTheLock == 0)
            {
                _lockedElsewhere.Record(shard, dispatchedAt);
            }
            else
            {
                _lockedElsewhere.Clear(shard);
            }
        }
    }

    private async Task RunShardInOrderAsync((string Keyspace, string Shard) shard, List<DetectionAnalysis> analyses,
        Func<DetectionAnalysis, Task> execute)
    {
        ProblemOrdering.SortForExecution(analyses);
        var concurrent = new List<DetectionAnalysis>();
        for (int i = 0; i < analyses.Count; i++)
        {
            var analysis = analyses[i];
            if (!RequiresOrderedExecution(analysis))
            {
                concurrent.Add(analysis);
                continue;
            }
            await execute(analysis).ConfigureAwait(false);
            if (analysis.HasShardWideAction)
            {
                int left = analyses.Count - i - 1;
                if (left > 0)
                {
                    _logger.ProblemsLeftAfterShardWide(
                        shard.Keyspace, shard.Shard, left, analysis.Analysis, analysis.AnalyzedInstanceAlias);
                }
                return;
            }
        }
        await Task.WhenAll(concurrent.Select(execute)).ConfigureAwait(false);
    }

    private static bool RequiresOrderedExecution(DetectionAnalysis analysis) =>
        AnalysisProblems.TryGet(analysis.Analysis, out var problem) && problem!.RequiresOrderedExecution;

    /// <summary>The recovery's outcome, or null when it failed unexpectedly (logged here).</summary>
    private async Task<RecoveryOutcome?> ExecuteAsync(DetectionAnalysis analysis, CancellationToken cancellationToken)
    {
        try
        {
            return (await _executor.ExecuteAsync(analysis, cancellationToken).ConfigureAwait(false)).Outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            _logger.RecoveryCrashed(
                e, analysis.Analysis, analysis.AnalyzedInstanceAlias, analysis.AnalyzedKeyspace, analysis.AnalyzedShard);
            return null;
        }
    }
}
