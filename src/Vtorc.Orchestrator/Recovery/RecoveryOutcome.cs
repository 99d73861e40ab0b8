namespace Vtorc.Orchestrator.Recovery;

/// <summary>How one pipeline run ended.</summary>
public enum RecoveryOutcome
{
    /// <summary>Not recovered now; <see cref="RecoveryExecution.SkipReason"/> says why.</summary>
    Skipped,

    /// <summary>Another process holds the shard lock; the next tick tries again.</summary>
    ShardLocked,

    /// <summary>The recovery function did not act (no-op function, active recovery in the shard, shutting down).</summary>
    NotAttempted,

    Succeeded,

    Failed,
}
