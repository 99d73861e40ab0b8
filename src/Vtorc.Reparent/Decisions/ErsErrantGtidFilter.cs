using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>The survivors of ERS's errant-GTID filter and a reason for every candidate it dropped.</summary>
public sealed record ErsErrantGtidResult(IReadOnlyList<ErsCandidate> Kept, IReadOnlyList<CandidateRejection> Rejected);

/// <summary>
/// ERS step 10 (docs/operation-steps.md), GTID-based shards only. The reparent journal length says how many
/// promotions a tablet has seen; a tablet that missed some cannot vouch for the others' transactions.
/// </summary>
/// <remarks>
/// Candidates with the longest journal are checked against each other, discounting the candidate's own replication
/// source UUID (the dead primary's writes it alone may have received are legitimate). A longest-journal candidate
/// that was a primary is kept unchecked; one without any position is dropped (Vitess does the same). Lagging
/// candidates are checked, without discount, against the longest-journal candidates that survived. A candidate with
/// nothing to be compared against has no errant GTIDs.
/// </remarks>
public static class ErsErrantGtidFilter
{
    /// <exception cref="ArgumentException">A candidate has no journal length (all must answer; the caller fails ERS otherwise).</exception>
    /// <exception cref="ReparentDecisionException">A candidate's position is not MySQL56.</exception>
    public static ErsErrantGtidResult Filter(IReadOnlyList<ErsCandidate> candidates, IReadOnlyDictionary<string, int> journalLengths)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(journalLengths);
        var lengths = new int[candidates.Count];
        int maxLength = int.MinValue;
        for (int i = 0; i < candidates.Count; i++)
        {
            if (!journalLengths.TryGetValue(candidates[i].Alias, out lengths[i]))
            {
                throw new ArgumentException(
                    $"No reparent journal length for ERS candidate \"{candidates[i].Alias}\"; every candidate must report one.", nameof(journalLengths));
            }
            maxLength = Math.Max(maxLength, lengths[i]);
        }

        var kept = new bool[candidates.Count];
        var rejected = new List<CandidateRejection>();
        var keptLongestSets = new List<GtidSet>();
        var longest = new List<(int Index, GtidSet Set)>();
        for (int i = 0; i < candidates.Count; i++)
        {
            if (lengths[i] == maxLength)
            {
                longest.Add((i, GtidSetOf(candidates[i])));
            }
        }
        foreach (var (i, set) in longest)
        {
            var candidate = candidates[i];
            if (candidate.Position.Combined.IsEmpty)
            {
                rejected.Add(new CandidateRejection(candidate.Alias, "has no replication position to check for errant GTIDs"));
                continue;
            }
            if (candidate.WasPrimary)
            {
                kept[i] = true;
                keptLongestSets.Add(set);
                continue;
            }
            var errant = longest.Count == 1 ? GtidSet.Empty : ErrantGtids.NotPresentElsewhere(set, AllBut(longest, i), candidate.SourceUuid);
            if (!errant.IsEmpty)
            {
                rejected.Add(new CandidateRejection(candidate.Alias,
                    $"has errant GTIDs {errant} that no other candidate with the longest reparent journal ({maxLength} entries) has"));
                continue;
            }
            kept[i] = true;
            keptLongestSets.Add(set);
        }

        for (int i = 0; i < candidates.Count; i++)
        {
            if (lengths[i] == maxLength)
            {
                continue;
            }
            var candidate = candidates[i];
            var set = GtidSetOf(candidate);
            // A lagging tablet's source may be a primary that was replaced since: its writes are not vouched for.
            var errant = keptLongestSets.Count == 0 ? GtidSet.Empty : ErrantGtids.NotPresentElsewhere(set, keptLongestSets, null);
            if (!errant.IsEmpty)
            {
                rejected.Add(new CandidateRejection(candidate.Alias,
                    $"has errant GTIDs {errant} that no up-to-date candidate has (its reparent journal has {lengths[i]} entries, the longest {maxLength})"));
                continue;
            }
            kept[i] = true;
        }

        var survivors = new List<ErsCandidate>(candidates.Count);
        for (int i = 0; i < candidates.Count; i++)
        {
            if (kept[i])
            {
                survivors.Add(candidates[i]);
            }
        }
        return new ErsErrantGtidResult(survivors, rejected);
    }

    private static IEnumerable<GtidSet> AllBut(List<(int Index, GtidSet Set)> sets, int excluded)
    {
        foreach (var (index, set) in sets)
        {
            if (index != excluded)
            {
                yield return set;
            }
        }
    }

    private static GtidSet GtidSetOf(ErsCandidate candidate)
    {
        var combined = candidate.Position.Combined;
        if (combined.IsEmpty)
        {
            return GtidSet.Empty;
        }
        return combined.GtidSet ?? throw new ReparentDecisionException(
            $"errant GTIDs can only be computed on the MySQL flavor, but candidate {candidate.Alias} has position \"{combined}\"");
    }
}
