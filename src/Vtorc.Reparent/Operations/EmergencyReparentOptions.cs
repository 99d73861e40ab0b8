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

    /// <exception cref="ArgumentException">A timeout is not positive.</exception>
    public void Validate()
    {
        if (WaitReplicasTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"wait-replicas-timeout must be positive, got {WaitReplicasTimeout}", nameof(WaitReplicasTimeout));
        }
        ArgumentNullException.ThrowIfNull(IgnoreReplicas);
    }
}
