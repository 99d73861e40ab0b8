namespace Vtorc.Reparent.Decisions;

/// <summary>
/// ERS steps 7–8: the candidates with their positions, whether replication is GTID-based (MySQL56 relay logs, so
/// errant-GTID filtering applies), every tablet reached (they all count as semi-sync ackers, whatever their type),
/// and the tablets dropped for their type.
/// </summary>
public sealed record ErsValidCandidates(
    IReadOnlyList<ErsCandidate> Candidates,
    bool IsGtidBased,
    IReadOnlyList<TabletInfo> Reached,
    IReadOnlyList<CandidateRejection> Rejected);
