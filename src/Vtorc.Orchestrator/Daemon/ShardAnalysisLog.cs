using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// What the recovery tick tells the operator about the analysis: a problem when it appears and when it clears, a
/// shard when it starts or stops being skipped (with the reason). Once per change, not once per tick, so the log
/// stays readable at a one-second tick.
/// </summary>
internal sealed class ShardAnalysisLog(ILogger logger)
{
    private readonly Lock _gate = new();
    private Dictionary<string, string> _problems = new(StringComparer.Ordinal);
    private Dictionary<(string Keyspace, string Shard), string> _skipped = [];

    public void Observe(IReadOnlyList<ShardAnalysisResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new Dictionary<(string, string), string>();
        var where = new Dictionary<string, (string Keyspace, string Shard, string Description)>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.IsSkipped)
            {
                skipped[(result.Keyspace, result.Shard)] = result.SkipMessage ?? result.SkipReason.ToString();
                continue;
            }
            foreach (var analysis in result.Analyses)
            {
                if (analysis.Analysis == AnalysisCodes.NoProblem)
                {
                    continue;
                }
                problems[analysis.AnalyzedInstanceAlias] = analysis.Analysis;
                where[analysis.AnalyzedInstanceAlias] = (result.Keyspace, result.Shard, analysis.Description);
            }
        }

        lock (_gate)
        {
            foreach (var (alias, code) in problems)
            {
                if (!_problems.TryGetValue(alias, out var before) || before != code)
                {
                    var (keyspace, shard, description) = where[alias];
                    logger.ProblemDetected(code, alias, keyspace, shard, before is null ? "" : $" (was {before})", description);
                }
            }
            foreach (var (alias, code) in _problems)
            {
                if (!problems.ContainsKey(alias))
                {
                    logger.ProblemCleared(code, alias);
                }
            }
            foreach (var (shard, message) in skipped)
            {
                if (!_skipped.TryGetValue(shard, out var before) || before != message)
                {
                    logger.ShardNotAnalysed(shard.Item1, shard.Item2, message);
                }
            }
            foreach (var shard in _skipped.Keys)
            {
                if (!skipped.ContainsKey(shard))
                {
                    logger.ShardAnalysedAgain(shard.Keyspace, shard.Shard);
                }
            }
            _problems = problems;
            _skipped = skipped;
        }
    }
}
