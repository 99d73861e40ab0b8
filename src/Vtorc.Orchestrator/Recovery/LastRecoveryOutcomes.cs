using System.Collections.Concurrent;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// The latest pipeline outcome per (tablet, analysis): what operators need next to a problem that is still there —
/// "recoveries are disabled", "held by the anti-flapping block, acknowledge recovery 12", "the shard is locked by
/// someone else", "failed: …". Sits between the scheduler and the pipeline; thread-safe.
/// </summary>
public sealed class LastRecoveryOutcomes(IRecoveryExecutor inner, TimeProvider time) : IRecoveryExecutor
{
    private readonly ConcurrentDictionary<(string Alias, string Analysis), LastRecoveryOutcome> _latest = new();

    public async Task<RecoveryExecution> ExecuteAsync(DetectionAnalysis analysis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var execution = await inner.ExecuteAsync(analysis, cancellationToken).ConfigureAwait(false);
        _latest[(analysis.AnalyzedInstanceAlias, analysis.Analysis)] = new LastRecoveryOutcome(execution, time.GetUtcNow());
        return execution;
    }

    /// <summary>The latest outcome for the problem, or null when the pipeline has not run for it.</summary>
    public LastRecoveryOutcome? For(string alias, string analysis) => _latest.GetValueOrDefault((alias, analysis));

    /// <summary>Drops outcomes of problems that are no longer current, so the map stays the size of the problem list.</summary>
    public void KeepOnly(IEnumerable<DetectionAnalysis> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var keep = current.Select(a => (a.AnalyzedInstanceAlias, a.Analysis)).ToHashSet();
        foreach (var key in _latest.Keys)
        {
            if (!keep.Contains(key))
            {
                _latest.TryRemove(key, out _);
            }
        }
    }

    /// <summary>A snapshot of every kept outcome.</summary>
    public IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> All => new Dictionary<(string, string), LastRecoveryOutcome>(_latest);
}

/// <summary>One pipeline run's outcome and when it ended.</summary>
public sealed record LastRecoveryOutcome(RecoveryExecution Execution, DateTimeOffset At);
