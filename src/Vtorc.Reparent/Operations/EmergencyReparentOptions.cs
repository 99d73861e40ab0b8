namespace Vtorc.Reparent.Operations;

/// <summary>
/// The flags of <c>EmergencyReparentShard</c>. Aliases may be written unpadded (<c>zone1-101</c>). VTOrc sets no
/// new primary, ignores nobody, and sets <see cref="WaitForAllTablets"/> only for PrimaryTabletDeleted.
/// </summary>
public sealed record EmergencyReparentOptions
{
    /// <summary>The tablet to promote if it is a valid candidate; otherwise ERS chooses.</summary>
    public string? NewPrimary { get; init; }

    /// <summary>Tablets ERS neither contacts nor repoints.</summary>
    public IReadOnlyCollection<string> IgnoreReplicas { get; init; } = [];

    /// <summary>Bound of the relay-log wait, the journal reads, the catch-up and the repointing (<c>--wait-replicas-timeout</c>).</summary>
    public TimeSpan WaitReplicasTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Only promote tablets in the previous primary's cell (<c>--prevent-cross-cell-promotion</c>).</summary>
    public bool PreventCrossCellPromotion { get; init; }

    /// <summary>Wait for every tablet to stop replication instead of all but one (<c>--wait-for-all-tablets</c>).</summary>
    public bool WaitForAllTablets { get; init; }

    /// <summary>Fail at once when the shard lock is held instead of queueing for it (VTOrc's TryLock).</summary>
    public bool FailIfLocked { get; init; }

    /// <summary>
    /// How long, under the shard lock, the operation still waits for the repoints still running once the new primary is promoted, its journal written and one replica follows it; those not done
    /// then are cancelled before the operation returns (and the lock is released), so no repoint can land after another
    /// reparent took the lock (docs/reliability.md, "The shard lock is released once the reparent is decided"). Null:
    /// <see cref="WaitReplicasTimeout"/>.
    /// </summary>
    public TimeSpan? SettleReplicasTimeout { get; init; }

    /// <summary>The bound actually used for <see cref="SettleReplicasTimeout"/>.</summary>
    internal TimeSpan EffectiveSettleReplicasTimeout =>
        SettleReplicasTimeout is { } settle && settle < WaitReplicasTimeout ? settle : WaitReplicasTimeout;

    /// <exception cref="ArgumentException">A timeout is not positive.</exception>
    public void Validate()
    {
        if (WaitReplicasTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"wait-replicas-timeout must be positive, got {WaitReplicasTimeout}", nameof(WaitReplicasTimeout));
        }
        if (SettleReplicasTimeout is { } settle && settle < TimeSpan.Zero)
        {
            throw new ArgumentException($"the replica settle timeout must not be negative, got {settle}", nameof(SettleReplicasTimeout));
        }
        ArgumentNullException.ThrowIfNull(IgnoreReplicas);
    }
}
