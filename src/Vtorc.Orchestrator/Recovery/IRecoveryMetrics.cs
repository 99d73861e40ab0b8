namespace Vtorc.Orchestrator.Recovery;

/// <summary>The recovery stats of VTOrc (go/vt/vtorc/logic/topology_recovery.go). Implementations must be
/// thread-safe.</summary>
public interface IRecoveryMetrics
{
    /// <summary><c>PendingRecoveries</c> gauge: +1 when a pipeline run starts, −1 when it ends.</summary>
    void AddPendingRecoveries(int delta);

    /// <summary><c>ShardLocksActive</c> gauge: +1 when a shard lock is taken, −1 when released.</summary>
    void AddShardLocksActive(int delta);

    /// <summary><c>ShardLockTimings{Action}</c> with action <c>Lock</c> or <c>Unlock</c>.</summary>
    void ObserveShardLockTiming(string action, TimeSpan duration);

    /// <summary><c>RecoveriesCount</c> +1.</summary>
    void CountRecovery(RecoveryMetricLabels labels);

    /// <summary><c>SuccessfulRecoveries</c> +1.</summary>
    void CountSuccessfulRecovery(RecoveryMetricLabels labels);

    /// <summary><c>FailedRecoveries</c> +1.</summary>
    void CountFailedRecovery(RecoveryMetricLabels labels);

    /// <summary><c>SkippedRecoveries{…, Reason}</c> +1.</summary>
    void CountSkippedRecovery(RecoveryMetricLabels labels, RecoverySkipReason reason);

    /// <summary><c>DetectedProblems</c>: 1 for each of <paramref name="current"/>; every other label set is removed.</summary>
    void SetDetectedProblems(IReadOnlyCollection<DetectedProblemLabels> current);
}
