namespace Vtorc.Reparent.Operations;

/// <summary>
/// The flags of <c>PlannedReparentShard</c>. With neither <see cref="NewPrimary"/> nor <see cref="AvoidPrimary"/> PRS
/// moves the primary away from the current one (VTOrc's ClusterHasNoPrimary recovery: a fresh shard has none).
/// </summary>
public sealed record PlannedReparentOptions
{
    public string? NewPrimary { get; init; }

    /// <summary>Move the primary away from this tablet; nothing is done if it is not the primary.</summary>
    public string? AvoidPrimary { get; init; }

    /// <summary>Bound of the status reads, the catch-up and the repointing (<c>--wait-replicas-timeout</c>).</summary>
    public TimeSpan WaitReplicasTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Candidates lagging more are not elected; zero = no limit (<c>--tolerable-replication-lag</c>).</summary>
    public TimeSpan TolerableReplicationLag { get; init; }

    /// <summary>[main 2026] allow a primary-elect outside the current primary's cell.</summary>
    public bool AllowCrossCellPromotion { get; init; }

    /// <summary>Fail at once when the shard lock is held instead of queueing for it (VTOrc's TryLock).</summary>
    public bool FailIfLocked { get; init; }

    /// <summary>
    /// How long, under the shard lock, the operation still waits for the repoints still running once the new primary is promoted and its journal written; those not done
    /// then are cancelled before the operation returns (and the lock is released), so no repoint can land after another
    /// reparent took the lock (docs/reliability.md, "The shard lock is released once the reparent is decided"). Null:
    /// <see cref="WaitReplicasTimeout"/>.
    /// </summary>
    public TimeSpan? SettleReplicasTimeout { get; init; }

    /// <summary>The bound actually used for <see cref="SettleReplicasTimeout"/>.</summary>
    internal TimeSpan EffectiveSettleReplicasTimeout =>
        SettleReplicasTimeout is { } settle && settle < WaitReplicasTimeout ? settle : WaitReplicasTimeout;

    /// <exception cref="ArgumentException">A timeout is not positive, the lag is negative, or both aliases name the same tablet.</exception>
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
        if (TolerableReplicationLag < TimeSpan.Zero)
        {
            throw new ArgumentException($"tolerable-replication-lag must not be negative, got {TolerableReplicationLag}", nameof(TolerableReplicationLag));
        }
    }
}
