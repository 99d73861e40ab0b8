using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The recovery tick (CheckAndRecover in go/vt/vtorc/logic/topology_recovery.go): every <c>--recovery-poll-duration</c>,
/// or sooner when asked, analyses every known shard, records what changed and starts the recoveries through the
/// scheduler. Reads the shards only through <see cref="IShardSnapshots"/>.
/// </summary>
internal sealed class RecoveryLoop
{
    private readonly IShardSnapshots _shards;
    private readonly RecoveryPipeline _pipeline;
    private readonly LastRecoveryOutcomes _outcomes;
    private readonly RecoveryScheduler _scheduler;
    private readonly HistoryStore _store;
    private readonly VtorcMetrics _metrics;
    private readonly Func<TimeSpan> _tickPeriod;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ShardAnalysisLog _analysisLog;
    private readonly LatestFleetAnalysis _latest;
    private readonly RecoveryWakeSignal _wake = new();
    private long _ticks;

    /// <param name="tickPeriod"><c>--recovery-poll-duration</c> in force, read before each wait (it is dynamic).</param>
    /// <param name="logger">The daemon's logger: the tick's lines keep the category operators filter on.</param>
    /// <param name="latest">Where each tick leaves its analysis of the fleet for the operator page.</param>
    public RecoveryLoop(IShardSnapshots shards, RecoveryPipeline pipeline, LastRecoveryOutcomes outcomes, RecoveryScheduler scheduler,
        HistoryStore store, VtorcMetrics metrics, Func<TimeSpan> tickPeriod, TimeProvider time, ILogger logger, LatestFleetAnalysis latest)
    {
        _latest = latest;
        _shards = shards;
        _pipeline = pipeline;
        _outcomes = outcomes;
        _scheduler = scheduler;
        _store = store;
        _metrics = metrics;
        _tickPeriod = tickPeriod;
        _time = time;
        _logger = logger;
        _analysisLog = new ShardAnalysisLog(logger);
        _scheduler.ShardFreedWithProblemsWaiting += shard =>
        {
            _logger.AnalysisAfterRecoveryEnded(shard.Keyspace, shard.Shard);
            _wake.Set();
        };
    }

    /// <summary>Ticks completed so far. A tick analyses and dispatches; it does not wait for the recoveries it started.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Asks for an analysis pass now instead of at the next tick.</summary>
    public void RequestAnalysis() => _wake.Set();

    /// <summary>Discovery saw a change of a shard worth analysing now (a primary just stopped answering).</summary>
    public void AnalyseSoon(string keyspace, string shard, string reason)
    {
        _logger.AnalysisRequestedEarly(keyspace, shard, reason);
        _wake.Set();
    }

    /// <summary>
    /// Ticks until <paramref name="stopping"/>; the recoveries it starts run with <paramref name="abort"/>, so they can
    /// finish after stopping began.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                bool woken = await _wake.WaitAsync(_tickPeriod(), stopping).ConfigureAwait(false);
                if (woken)
                {
                    _logger.RecoveryTickStartedEarly();
                }
                try
                {
                    await RunTickAsync(abort).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // One broken tick must not end detection: log it and try again at the next one.
                    _logger.RecoveryTickFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One <c>CheckAndRecover</c>: analyses every known shard from one consistent view of the state, writes the
    /// changelog for what changed, then starts the recoveries of the shards that have none in flight and returns
    /// without waiting for them (CheckAndRecover in go/vt/vtorc/logic/topology_recovery.go; docs/reliability.md,
    /// "Recoveries of different shards do not wait for each other"). The recoveries run with
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task RunTickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var settings = _pipeline.Settings;
        var passStarted = _time.GetTimestamp();
        var snapshots = _shards.GetSnapshots();
        var results = DetectionAnalyzer.AnalyzeAll(snapshots, settings.Analysis, now);
        var passTook = _time.GetElapsedTime(passStarted);
        _latest.Publish(snapshots, results, now);
        _metrics.ObserveAnalysisPass(passTook);
        _logger.AnalysisPassTimed(results.Count, passTook.TotalMilliseconds);
        _analysisLog.Observe(results);

        var problems = new List<DetectionAnalysis>();
        foreach (var result in results)
        {
            foreach (var analysis in result.Analyses)
            {
                if (analysis.Analysis != AnalysisCodes.NoProblem)
                {
                    problems.Add(analysis);
                }
            }
        }
        foreach (var analysis in problems)
        {
            await _store.RecordAnalysisChangeAsync(analysis.AnalyzedInstanceAlias, analysis.Analysis, now, cancellationToken).ConfigureAwait(false);
        }

        _outcomes.KeepOnly(problems);
        var dispatch = _scheduler.Dispatch(problems, cancellationToken);
        if (dispatch.ShardsStarted > 0 || dispatch.ShardsSkipped > 0)
        {
            _logger.RecoveryTickDispatched(
                dispatch.ShardsStarted, dispatch.ShardsSkipped, _scheduler.ShardsRecovering, Math.Max(0, _scheduler.ShardsInFlight - _scheduler.ShardsRecovering));
        }
        Interlocked.Increment(ref _ticks);
    }
}
