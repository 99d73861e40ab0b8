namespace Vtorc.Reparent.Decisions;

/// <summary>ERS step 11: the tablet the others will catch up from, and all candidates sorted best first.</summary>
internal sealed record IntermediateSourceChoice(RankedCandidate Source, IReadOnlyList<RankedCandidate> Sorted);
