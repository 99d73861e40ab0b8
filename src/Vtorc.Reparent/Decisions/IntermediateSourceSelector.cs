using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>ERS step 11 (docs/operation-steps.md): the most advanced candidate, or split brain.</summary>
internal static class IntermediateSourceSelector
{
    public const string SplitBrainMessage = "split brain detected";

    /// <summary>
    /// Sorts with <see cref="CandidateOrdering"/>; the first must be at least every other candidate. A requested new
    /// primary replaces it when its position is at least as advanced; a less advanced one stays a plain candidate
    /// and is caught up later.
    /// </summary>
    /// <param name="earlierRejections">Reasons from earlier steps, quoted when the requested primary is missing.</param>
    /// <exception cref="ReparentDecisionException">No candidates, split brain, or the requested primary is not a candidate.</exception>
    public static IntermediateSourceChoice Choose(IReadOnlyList<RankedCandidate> candidates, string? requestedNewPrimary,
        IReadOnlyList<CandidateRejection>? earlierRejections = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ReparentDecisionException(ErsValidCandidateSelector.NoValidCandidatesMessage, earlierRejections);
        }
        var sorted = CandidateOrdering.Sort(candidates);
        if (CandidateOrdering.FindSplitBrain(sorted) is { } split)
        {
            throw new ReparentDecisionException(
                $"{SplitBrainMessage} between servers - {split.First.Alias} and {split.Second.Alias}",
                [new CandidateRejection(split.Second.Alias, split.Why)]);
        }
        var source = sorted[0];
        if (requestedNewPrimary is not null)
        {
            var requested = sorted.FirstOrDefault(c => c.Alias == requestedNewPrimary);
            if (requested is null)
            {
                var why = earlierRejections?.Where(r => r.Alias == requestedNewPrimary).ToArray() ?? [];
                throw new ReparentDecisionException(
                    why.Length > 0
                        ? $"requested primary elect {requestedNewPrimary} is not a valid candidate"
                        : $"requested primary elect {requestedNewPrimary} is not a valid candidate (not reached, or has errant GTIDs)",
                    why);
            }
            if (PositionComparison.IsAtLeast(requested.Position, source.Position))
            {
                source = requested;
            }
        }
        return new IntermediateSourceChoice(source, sorted);
    }
}
