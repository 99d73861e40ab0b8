namespace Vtorc.Reparent.Decisions;

/// <summary>
/// PRS primary-elect, first half: the tablets worth asking for their replication status. When
/// <see cref="ElectedWithoutStatus"/> is set (a single candidate and no lag limit) it is the primary-elect and no
/// RPC is needed.
/// </summary>
internal sealed record PrsPreselection(
    IReadOnlyList<TabletInfo> Candidates,
    string? ElectedWithoutStatus,
    IReadOnlyList<CandidateRejection> Rejected);
