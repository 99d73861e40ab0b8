using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>The flags recoveries read (go/vt/vtorc/config/config.go), with VTOrc's defaults.</summary>
public sealed record RecoverySettings
{
    public static RecoverySettings Default { get; } = new();

    /// <summary>The analysis re-run under the lock uses the same settings as the tick's analysis.</summary>
    public AnalysisSettings Analysis { get; init; } = AnalysisSettings.Default;

    /// <summary><c>--allow-emergency-reparent</c>: the global ERS switch.</summary>
    public bool AllowEmergencyReparent { get; init; } = true;

    /// <summary><c>--change-tablets-with-errant-gtid-to-drained</c>.</summary>
    public bool ChangeTabletsWithErrantGtidToDrained { get; init; }

    /// <summary>
    /// <c>--recovery-period-block-duration</c>: after a shard-wide recovery ends, another shard-wide recovery of the
    /// same shard waits this long unless an operator acknowledges the first. Zero turns the block off (VTOrc v20+).
    /// </summary>
    public TimeSpan RecoveryPeriodBlockDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--wait-replicas-timeout</c> for ERS and PRS.</summary>
    public TimeSpan WaitReplicasTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Ours, no flag: how long an ERS/PRS run by a recovery still waits, holding the shard lock, for the replica
    /// repoints left once the reparent is decided (promotion, journal, semi-sync ackers attached); the rest are
    /// cancelled and left to the replica repairs, so the lock is not held for <see cref="WaitReplicasTimeout"/> by
    /// one slow replica (docs/reliability.md, "The shard lock is released once the reparent is decided").
    /// </summary>
    public TimeSpan ReplicaSettleTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--prevent-cross-cell-failover</c> for ERS.</summary>
    public bool PreventCrossCellFailover { get; init; }

    /// <summary><c>--tolerable-replication-lag</c> for PRS; zero = no limit.</summary>
    public TimeSpan TolerableReplicationLag { get; init; }

    /// <summary><c>--remote-operation-timeout</c>: each tablet RPC VTOrc makes itself, each refresh and poll.</summary>
    public TimeSpan RemoteOperationTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <exception cref="ArgumentException">A duration is negative or a timeout is not positive; the message names the flag.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Analysis);
        if (RecoveryPeriodBlockDuration < TimeSpan.Zero)
        {
            throw new ArgumentException($"--recovery-period-block-duration must not be negative, got {RecoveryPeriodBlockDuration}",
                nameof(RecoveryPeriodBlockDuration));
        }
        if (WaitReplicasTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--wait-replicas-timeout must be positive, got {WaitReplicasTimeout}", nameof(WaitReplicasTimeout));
        }
        if (ReplicaSettleTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"the replica settle timeout must not be negative, got {ReplicaSettleTimeout}", nameof(ReplicaSettleTimeout));
        }
        if (TolerableReplicationLag < TimeSpan.Zero)
        {
            throw new ArgumentException($"--tolerable-replication-lag must not be negative, got {TolerableReplicationLag}",
                nameof(TolerableReplicationLag));
        }
        if (RemoteOperationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--remote-operation-timeout must be positive, got {RemoteOperationTimeout}", nameof(RemoteOperationTimeout));
        }
    }
}
