namespace Vtorc.Orchestrator.Discovery;

/// <summary>A shard whose state just changed in a way worth analysing now rather than at the next tick.</summary>
/// <param name="Reason">What happened, in words for the log (e.g. "poll of primary zone1-0000000100 failed: …").</param>
public sealed record ShardNeedsAnalysisEventArgs(string Keyspace, string Shard, string Reason);
