namespace Vtorc.Reparent.Decisions;

/// <summary>
/// PRS options that change the choice of primary-elect (go/vt/vtctl/reparentutil/planned_reparenter.go). VTOrc sets no
/// new primary, avoids the shard-record primary, and takes <see cref="TolerableReplicationLag"/> from
/// <c>--tolerable-replication-lag</c> (zero = no limit).
/// </summary>
/// <param name="AllowCrossCellPromotion">[main 2026] lifts the same-cell restriction; false in v24.</param>
internal sealed record PrsElectionOptions(
    string? NewPrimaryAlias = null,
    string? AvoidPrimaryAlias = null,
    TimeSpan TolerableReplicationLag = default,
    bool AllowCrossCellPromotion = false)
{
    public static PrsElectionOptions Default { get; } = new();

    public bool HasLagLimit => TolerableReplicationLag > TimeSpan.Zero;
}
