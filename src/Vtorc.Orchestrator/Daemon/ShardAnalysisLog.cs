using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// What the recovery tick tells the operator about the analysis: a problem when it appears and when it clears, a
/// shard when it starts or stops being skipped (with the reason). Once per change, not once per tick, so the log
/// stays readable at a one-second tick. Shards waiting for their tablets' first poll are told as one line when the
/// wait starts and one when it is over: at a daemon's start that is every shard of the fleet, for a few seconds.
/// </summary>
internal sealed class ShardAnalysisLog(ILogger logger)
{
    private readonly Lock _gate = new();
    private Dictionary<string, string> _problems = new(StringComparer.Ordinal);
    private Dictionary<(string Keyspace, string Shard), string> _skipped = [];
    private int _waitingPeak;

    public void Observe(IReadOnlyList<ShardAnalysisResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new Dictionary<(string, string), string>();
        var where = new Dictionary<string, (string Keyspace, string Shard, string Description)>(StringComparer.Ordinal);
        ShardAnalysisResult? firstWaiting = null;
        int waitingShards = 0;
        foreach (var result in results)
        {
            if (result.SkipReason == ShardSkipReason.AwaitingFirstPoll)
            {
                firstWaiting ??= result;
                waitingShards++;
                continue;
            }
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
            if (firstWaiting is not null)
            {
                if (_waitingPeak == 0)
                {
                    logger.ShardsAwaitingFirstPoll(waitingShards, firstWaiting.Keyspace, firstWaiting.Shard, firstWaiting.SkipMessage ?? "");
                }
                _waitingPeak = Math.Max(_waitingPeak, waitingShards);
            }
            else if (_waitingPeak > 0)
            {
                logger.FirstPollsEnded(_waitingPeak);
                _waitingPeak = 0;
            }
            _problems = problems;
            _skipped = skipped;
        }
    }
}
