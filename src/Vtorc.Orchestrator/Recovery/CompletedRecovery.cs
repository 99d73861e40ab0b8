namespace Vtorc.Orchestrator.Recovery;

/// <summary>An ended recovery as the anti-flapping block sees it.</summary>
/// <param name="Acknowledged">An operator acknowledged it: it no longer blocks the next shard-wide recovery.</param>
public sealed record CompletedRecovery(long RecoveryId, string TabletAlias, string Analysis, DateTimeOffset EndedAt, bool Acknowledged);
