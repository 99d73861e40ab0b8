using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// VTOrc's <c>CheckAndRecover</c> dispatch (go/vt/vtorc/logic/topology_recovery.go, v24): per shard, first the analyses
/// that need ordered execution one after the other in <see cref="ProblemOrdering"/> order — stopping the shard after
/// the first shard-wide one, since everything else was analysed before it changed the shard — then the rest
/// concurrently. Shards run concurrently. A tick that starts while the previous one still runs is skipped.
/// </summary>
public sealed class RecoveryScheduler
{
    private readonly IRecoveryExecutor _executor;
    private readonly IRecoveryMetrics _metrics;
    private readonly ILogger _logger;
    private int _running;

    public RecoveryScheduler(IRecoveryExecutor executor, IRecoveryMetrics metrics, ILogger<RecoveryScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _executor = executor;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Dispatches one tick's analyses (all shards).</summary>
    /// <returns>False when the previous tick was still running (nothing was done).</returns>
    public async Task<bool> RunTickAsync(IEnumerable<DetectionAnalysis> analyses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            _logger.LogDebug("recovery tick skipped: the previous one is still running");
            return false;
        }
        try
        {
            var problems = analyses.Where(a => a.Analysis != AnalysisCodes.NoProblem).ToList();
            _metrics.SetDetectedProblems(problems
                .Select(a => new DetectedProblemLabels(a.Analysis, a.AnalyzedInstanceAlias, a.AnalyzedKeyspace, a.AnalyzedShard))
                .ToArray());
            var shards = problems.GroupBy(a => (a.AnalyzedKeyspace, a.AnalyzedShard));
            await Task.WhenAll(shards.Select(shard => RunShardAsync(shard.Key, shard.ToList(), cancellationToken))).ConfigureAwait(false);
            return true;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task RunShardAsync((string Keyspace, string Shard) shard, List<DetectionAnalysis> analyses, CancellationToken cancellationToken)
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
            await ExecuteAsync(analysis, cancellationToken).ConfigureAwait(false);
            if (analysis.HasShardWideAction)
            {
                int left = analyses.Count - i - 1;
                if (left > 0)
                {
                    _logger.LogDebug("{Keyspace}/{Shard}: {Left} other problem(s) left for the next tick after shard-wide {Analysis} on {Tablet}",
                        shard.Keyspace, shard.Shard, left, analysis.Analysis, analysis.AnalyzedInstanceAlias);
                }
                return;
            }
        }
        await Task.WhenAll(concurrent.Select(a => ExecuteAsync(a, cancellationToken))).ConfigureAwait(false);
    }

    private static bool RequiresOrderedExecution(DetectionAnalysis analysis) =>
        AnalysisProblems.TryGet(analysis.Analysis, out var problem) && problem!.RequiresOrderedExecution;

    private async Task ExecuteAsync(DetectionAnalysis analysis, CancellationToken cancellationToken)
    {
        try
        {
            await _executor.ExecuteAsync(analysis, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "recovery of {Analysis} on {Tablet} in {Keyspace}/{Shard} failed unexpectedly", analysis.Analysis,
                analysis.AnalyzedInstanceAlias, analysis.AnalyzedKeyspace, analysis.AnalyzedShard);
        }
    }
}
