using Vtorc.Reparent.Durability;

namespace Vtorc.Reparent.Decisions;

/// <summary>ERS steps 13 and 15b (docs/operation-steps.md): the final candidate among the filtered ones.</summary>
internal static class ErsPrimaryCandidateChooser
{
    /// <summary>
    /// The requested new primary if it is a valid candidate; otherwise, for the best promotion rule any candidate has,
    /// the intermediate source if it has that rule (no catch-up needed), else the most advanced candidate with it.
    /// </summary>
    /// <param name="validCandidates">Filtered candidates sorted best first (positions, then rule, then server version, then alias).</param>
    /// <param name="rejected">Reasons quoted when nothing is left.</param>
    /// <exception cref="ReparentDecisionException">No valid candidates, or the requested primary is not among them.</exception>
    public static RankedCandidate Identify(string intermediateSource, IReadOnlyList<RankedCandidate> validCandidates,
        string? requestedNewPrimary, IReadOnlyList<CandidateRejection>? rejected = null)
    {
        ArgumentNullException.ThrowIfNull(intermediateSource);
        ArgumentNullException.ThrowIfNull(validCandidates);
        if (validCandidates.Count == 0)
        {
            throw new ReparentDecisionException(ErsValidCandidateSelector.NoValidCandidatesMessage, rejected);
        }
        if (requestedNewPrimary is not null)
        {
            return validCandidates.FirstOrDefault(c => c.Alias == requestedNewPrimary)
                ?? throw new ReparentDecisionException(
                    $"requested candidate {requestedNewPrimary} is not in valid candidates list",
                    rejected?.Where(r => r.Alias == requestedNewPrimary).ToArray());
        }
        foreach (var rule in PromotionRules.BestFirst)
        {
            RankedCandidate? first = null;
            foreach (var candidate in validCandidates)
            {
                if (candidate.Rule != rule)
                {
                    continue;
                }
                if (candidate.Alias == intermediateSource)
                {
                    return candidate;
                }
                first ??= candidate;
            }
            if (first is not null)
            {
                return first;
            }
        }
        throw new InvalidOperationException("Unreachable: every candidate has one of the five promotion rules.");
    }
}
