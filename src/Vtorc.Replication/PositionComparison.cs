namespace Vtorc.Replication;

/// <summary>
/// How ERS compares candidates to find the most advanced one (ERS step 11; docs/wire-format.md, "Replication
/// positions").
/// </summary>
public static class PositionComparison
{
    /// <summary>
    /// "X ≥ Y": when the Combined positions are equal the Executed positions decide, otherwise Combined
    /// containment does.
    /// </summary>
    public static bool IsAtLeast(CandidatePosition x, CandidatePosition y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return x.Combined.Equals(y.Combined) ? x.Executed.Contains(y.Executed) : x.Combined.Contains(y.Combined);
    }

    /// <summary>
    /// X strictly dominates Y: X ≥ Y and not Y ≥ X. Used to count, per candidate, how many others are ahead
    /// of it (the ERS candidate sort Vitess adopted in 2026, go/vt/vtctl/reparentutil/).
    /// </summary>
    public static bool StrictlyDominates(CandidatePosition x, CandidatePosition y) => IsAtLeast(x, y) && !IsAtLeast(y, x);

    /// <summary>
    /// a contains b and b does not contain a. For MySQL56 and FilePos this is "contains and unequal"; two MariaDB
    /// positions that differ only in server ids contain each other, so neither strictly contains the other
    /// (see <see cref="AreMutuallyContainedButUnequal"/>).
    /// </summary>
    public static bool StrictlyContains(ReplicationPosition a, ReplicationPosition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Contains(b) && !b.Contains(a);
    }

    /// <summary>Split brain: neither position contains the other (different flavors are always incomparable unless one is empty).</summary>
    public static bool AreIncomparable(ReplicationPosition a, ReplicationPosition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return !a.Contains(b) && !b.Contains(a);
    }

    /// <summary>
    /// Each contains the other yet they differ: possible for MariaDB (same sequences, different server ids),
    /// which 2026 Vitess ERS treats as split brain.
    /// </summary>
    public static bool AreMutuallyContainedButUnequal(ReplicationPosition a, ReplicationPosition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Contains(b) && b.Contains(a) && !a.Equals(b);
    }
}
