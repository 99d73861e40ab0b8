namespace Vtorc.Reparent.Decisions;

/// <summary>
/// ERS step 12: the candidates that may become primary, still sorted best first. When only tablets running a
/// backup passed the filters they are the candidates and <see cref="OnlyBackupRunningLeft"/> is true.
/// </summary>
internal sealed record ErsFinalCandidates(
    IReadOnlyList<RankedCandidate> Candidates,
    bool OnlyBackupRunningLeft,
    IReadOnlyList<CandidateRejection> Rejected);
