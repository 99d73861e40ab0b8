namespace Vtorc.Reparent.Operations;

/// <summary>The flags <c>EmergencyReparentShard</c> and <c>PlannedReparentShard</c> share, with their checks.</summary>
public abstract record ReparentOptions
{
    /// <summary>The tablet to promote; ERS takes it only if it is a valid candidate, otherwise it chooses.</summary>
    public string? NewPrimary { get; init; }

    /// <summary>
    /// Bound of the tablet calls of each step (<c>--wait-replicas-timeout</c>): the status or relay-log reads, the
    /// journal reads, the catch-up and the repointing.
    /// </summary>
    public TimeSpan WaitReplicasTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Fail at once when the shard lock is held instead of queueing for it (VTOrc's TryLock).</summary>
    public bool FailIfLocked { get; init; }

    /// <summary>
    /// How long, under the shard lock, the operation still waits for the repoints still running once the new primary is
    /// promoted and its journal written (for ERS also: once one replica follows it); those not done then are cancelled
    /// before the operation returns (and the lock is released), so no repoint can land after another reparent took the
    /// lock (docs/reliability.md, "The shard lock is released once the reparent is decided"). Null:
    /// <see cref="WaitReplicasTimeout"/>.
    /// </summary>
    public TimeSpan? SettleReplicasTimeout { get; init; }

    /// <summary>The bound actually used for <see cref="SettleReplicasTimeout"/>.</summary>
    internal TimeSpan EffectiveSettleReplicasTimeout =>
        SettleReplicasTimeout is { } settle && settle < WaitReplicasTimeout ? settle : WaitReplicasTimeout;

    /// <exception cref="ArgumentException">The wait timeout is not positive or the settle timeout is negative.</exception>
    protected void ValidateTimeouts()
    {
        if (WaitReplicasTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"wait-replicas-timeout must be positive, got {WaitReplicasTimeout}", nameof(WaitReplicasTimeout));
        }
        if (SettleReplicasTimeout is { } settle && settle < TimeSpan.Zero)
        {
            throw new ArgumentException($"the replica settle timeout must not be negative, got {settle}", nameof(SettleReplicasTimeout));
        }
    }
}
