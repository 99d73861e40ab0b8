namespace Vtorc.Reparent.Operations;

/// <summary>
/// The flags of <c>PlannedReparentShard</c>. With neither <see cref="NewPrimary"/> nor <see cref="AvoidPrimary"/> PRS
/// moves the primary away from the current one (VTOrc's ClusterHasNoPrimary recovery: a fresh shard has none).
/// </summary>
public sealed record PlannedReparentOptions : ReparentOptions
{
    /// <summary>Move the primary away from this tablet; nothing is done if it is not the primary.</summary>
    public string? AvoidPrimary { get; init; }

    /// <summary>Candidates lagging more are not elected; zero = no limit (<c>--tolerable-replication-lag</c>).</summary>
    public TimeSpan TolerableReplicationLag { get; init; }

    /// <summary>[main 2026] allow a primary-elect outside the current primary's cell.</summary>
    public bool AllowCrossCellPromotion { get; init; }

    /// <exception cref="ArgumentException">A timeout is not positive, the lag is negative, or both aliases name the same tablet.</exception>
    public void Validate()
    {
        ValidateTimeouts();
        if (TolerableReplicationLag < TimeSpan.Zero)
        {
            throw new ArgumentException($"tolerable-replication-lag must not be negative, got {TolerableReplicationLag}", nameof(TolerableReplicationLag));
        }
    }
}
