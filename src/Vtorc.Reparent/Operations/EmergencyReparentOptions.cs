namespace Vtorc.Reparent.Operations;

/// <summary>
/// The flags of <c>EmergencyReparentShard</c>. Aliases may be written unpadded (<c>zone1-101</c>). VTOrc sets no
/// new primary, ignores nobody, and sets <see cref="WaitForAllTablets"/> only for PrimaryTabletDeleted.
/// </summary>
public sealed record EmergencyReparentOptions : ReparentOptions
{
    /// <summary>Tablets ERS neither contacts nor repoints.</summary>
    public IReadOnlyCollection<string> IgnoreReplicas { get; init; } = [];

    /// <summary>Only promote tablets in the previous primary's cell (<c>--prevent-cross-cell-promotion</c>).</summary>
    public bool PreventCrossCellPromotion { get; init; }

    /// <summary>Wait for every tablet to stop replication instead of all but one (<c>--wait-for-all-tablets</c>).</summary>
    public bool WaitForAllTablets { get; init; }

    /// <exception cref="ArgumentException">A timeout is not positive.</exception>
    public void Validate()
    {
        ValidateTimeouts();
        ArgumentNullException.ThrowIfNull(IgnoreReplicas);
    }
}
