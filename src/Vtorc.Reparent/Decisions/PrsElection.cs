namespace Vtorc.Reparent.Decisions;

/// <summary>PRS primary-elect: the winner, all valid candidates best first, and why the others were not chosen.</summary>
internal sealed record PrsElection(string PrimaryElect, IReadOnlyList<RankedCandidate> Ranking, IReadOnlyList<CandidateRejection> Rejected);
