namespace Vtorc.Orchestrator.Recovery;

/// <summary>A detected problem the pipeline decided not to recover now, with the reason and the words it logged.</summary>
/// <param name="Reason">A <see cref="RecoverySkipReason"/> name, or <c>ShardLocked</c> when another process held the shard lock.</param>
public sealed record SkippedRecovery(long DetectionId, string TabletAlias, string Analysis, string Keyspace, string Shard, string RecoveryName,
    string Reason, string Message, DateTimeOffset At);
