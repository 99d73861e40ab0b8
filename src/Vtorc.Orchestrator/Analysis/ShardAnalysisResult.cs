namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The outcome of analysing one shard: the reported tablets in row order, or — when the shard is ignored — why,
/// with the message the daemon logs.
/// </summary>
public sealed record ShardAnalysisResult(string Keyspace, string Shard, IReadOnlyList<DetectionAnalysis> Analyses,
    ShardSkipReason SkipReason, string? SkipMessage)
{
    public bool IsSkipped => SkipReason != ShardSkipReason.None;
}
