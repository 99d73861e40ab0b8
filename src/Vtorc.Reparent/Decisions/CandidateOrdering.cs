using Vtorc.Replication;
using Vtorc.Topo;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// Sorts reparent candidates best first (ERS intermediate source, PRS primary-elect).
/// </summary>
/// <remarks>
/// Which sorter: Vitess v24 sorts with a pairwise "less" built from position containment and then the promotion
/// rule, but that function is not a strict weak ordering — incomparable positions, and equal rules, answer "less"
/// both ways — so the v24 result for ties depends on the sort algorithm and on Go's random map order. Fed to .NET's
/// sort such a comparer may even throw. We therefore use the formulation Vitess adopted in 2026 (docs/wire-format.md,
/// "Replication positions"): each candidate's key is the number of other candidates that strictly dominate it on the
/// Combined position, then (at equal Combined) on the Executed position; fewer is better. Whenever the positions form a
/// chain, which is the only case in which v24 is well defined, this gives the v24 order. After the position keys come
/// the criteria of Vitess's version-aware sorter (PR #20211, "by position" mode): the better promotion rule, then the
/// lower server version (<see cref="ServerVersion.CompareForReplication"/>; not used when the versions span MySQL and
/// MariaDB), then larger buffer-pool data (PRS, only when known for all); the alias (cell, then uid) ends the order so
/// ties are deterministic. The version therefore only ever separates candidates whose positions are equally advanced.
/// </remarks>
public static class CandidateOrdering
{
    public static RankedCandidate[] Sort(IReadOnlyList<RankedCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        int n = candidates.Count;
        var combinedBehind = new int[n];
        var executedBehind = new int[n];
        // A GTID set can only contain a set with fewer or as many transactions, and with as many only if equal:
        // knowing the counts saves one of the two containment tests per pair (the sort's main cost).
        var counts = new long[n];
        for (int i = 0; i < n; i++)
        {
            long count = candidates[i].Position.Combined.GtidSet?.Count ?? -1;
            counts[i] = count == long.MaxValue ? -1 : count; // a saturated count says nothing about containment
        }
        for (int i = 0; i < n; i++)
        {
            var a = candidates[i].Position;
            for (int j = i + 1; j < n; j++)
            {
                var b = candidates[j].Position;
                bool aHasB;
                bool bHasA;
                if (counts[i] >= 0 && counts[j] >= 0)
                {
                    aHasB = counts[i] > counts[j] ? a.Combined.GtidSet!.Contains(b.Combined.GtidSet!)
                        : counts[i] == counts[j] && a.Combined.GtidSet!.Equals(b.Combined.GtidSet);
                    bHasA = counts[j] > counts[i] ? b.Combined.GtidSet!.Contains(a.Combined.GtidSet!)
                        : counts[i] == counts[j] && aHasB;
                }
                else
                {
                    aHasB = a.Combined.Contains(b.Combined);
                    bHasA = b.Combined.Contains(a.Combined);
                }
                if (aHasB && !bHasA)
                {
                    combinedBehind[j]++;
                }
                else if (bHasA && !aHasB)
                {
                    combinedBehind[i]++;
                }
                else if (aHasB && a.Combined.Equals(b.Combined))
                {
                    bool aExecHasB = a.Executed.Contains(b.Executed);
                    bool bExecHasA = b.Executed.Contains(a.Executed);
                    if (aExecHasB && !bExecHasA)
                    {
                        executedBehind[j]++;
                    }
                    else if (bExecHasA && !aExecHasB)
                    {
                        executedBehind[i]++;
                    }
                }
            }
        }

        bool useBufferPool = n > 0;
        for (int i = 0; i < n && useBufferPool; i++)
        {
            useBufferPool = candidates[i].BufferPoolDataPages.HasValue;
        }

        bool useVersion = ServerVersion.AreComparable(candidates.Select(c => c.Version));

        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (x, y) =>
        {
            int c = combinedBehind[x].CompareTo(combinedBehind[y]);
            if (c != 0)
            {
                return c;
            }
            c = executedBehind[x].CompareTo(executedBehind[y]);
            if (c != 0)
            {
                return c;
            }
            c = candidates[x].Rule.CompareTo(candidates[y].Rule);
            if (c != 0)
            {
                return c;
            }
            if (useVersion)
            {
                c = ServerVersion.CompareForReplication(candidates[x].Version, candidates[y].Version);
                if (c != 0)
                {
                    return c;
                }
            }
            if (useBufferPool)
            {
                c = candidates[y].BufferPoolDataPages!.Value.CompareTo(candidates[x].BufferPoolDataPages!.Value);
                if (c != 0)
                {
                    return c;
                }
            }
            return TabletAliasOrder.Instance.Compare(candidates[x].Alias, candidates[y].Alias);
        });

        var sorted = new RankedCandidate[n];
        for (int i = 0; i < n; i++)
        {
            sorted[i] = candidates[order[i]];
        }
        return sorted;
    }

    /// <summary>
    /// Split brain among sorted candidates: the winner must be at least every other candidate (v24), and no two
    /// candidates may have unequal Combined positions that contain each other (MariaDB; 2026 Vitess). Returns the
    /// offending pair and why, or null.
    /// </summary>
    public static (RankedCandidate First, RankedCandidate Second, string Why)? FindSplitBrain(IReadOnlyList<RankedCandidate> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }
        var winner = sorted[0];
        for (int i = 1; i < sorted.Count; i++)
        {
            var other = sorted[i];
            if (!PositionComparison.IsAtLeast(winner.Position, other.Position))
            {
                return (winner, other,
                    $"position {Describe(other.Position)} of {other.Alias} is not contained in position {Describe(winner.Position)} of {winner.Alias}");
            }
        }
        // Only MariaDB positions can contain each other without being equal (sequence numbers ignore the server
        // id); GTID sets and file coordinates cannot, so the quadratic scan is skipped for them.
        bool anyMariaDb = false;
        foreach (var candidate in sorted)
        {
            anyMariaDb |= candidate.Position.Combined.Flavor == PositionFlavor.MariaDb;
        }
        for (int i = 0; anyMariaDb && i < sorted.Count; i++)
        {
            for (int j = i + 1; j < sorted.Count; j++)
            {
                if (PositionComparison.AreMutuallyContainedButUnequal(sorted[i].Position.Combined, sorted[j].Position.Combined))
                {
                    return (sorted[i], sorted[j],
                        $"positions {Describe(sorted[i].Position)} of {sorted[i].Alias} and {Describe(sorted[j].Position)} of {sorted[j].Alias} contain each other but differ (same sequence numbers written by different servers)");
                }
            }
        }
        return null;
    }

    internal static string Describe(CandidatePosition position)
    {
        string combined = position.Combined.IsEmpty ? "(empty)" : position.Combined.ToString();
        return position.Executed.IsEmpty || position.Executed.Equals(position.Combined)
            ? $"\"{combined}\""
            : $"\"{combined}\" (executed \"{position.Executed}\")";
    }
}
