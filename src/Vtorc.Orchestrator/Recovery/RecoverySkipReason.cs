namespace Vtorc.Orchestrator.Recovery;

/// <summary>Why a detected problem is not recovered (the <c>Reason</c> label of <c>SkippedRecoveries</c>).</summary>
public enum RecoverySkipReason
{
    /// <summary>The analysis maps to no recovery function (or errant-GTID draining is off).</summary>
    NoRecoveryAction,

    /// <summary>An operator disabled all recoveries.</summary>
    GlobalRecoveriesDisabled,

    /// <summary>Ours: an operator disabled the recoveries of the problem's keyspace.</summary>
    KeyspaceRecoveriesDisabled,

    /// <summary>Ours: an operator disabled the recoveries of the problem's shard.</summary>
    ShardRecoveriesDisabled,

    /// <summary>ERS is disabled globally, for the keyspace or for the shard.</summary>
    EmergencyReparentShardDisabled,

    /// <summary>After refreshing under the lock the problem is gone or maps to another recovery ("already fixed").</summary>
    StaleAnalysis,

    /// <summary>The pre-lock re-check found the primary needs a recovery first.</summary>
    PrimaryRecovery,

    /// <summary>
    /// Our anti-flapping block (not in VTOrc v20+): a shard-wide recovery ended less than
    /// <c>--recovery-period-block-duration</c> ago on the shard and no operator acknowledged it.
    /// </summary>
    RecoveryPeriodBlock,
}
