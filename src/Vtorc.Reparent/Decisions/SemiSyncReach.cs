using Vtorc.Reparent.Durability;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// The two semi-sync questions ERS asks of the tablets it reached: has every possible primary been cut off from
/// accepting writes (revoked), and can a candidate accept writes once promoted (establish)?
/// </summary>
internal static class SemiSyncReach
{
    /// <summary>
    /// The tablet can no longer acknowledge a write: either we reached it (its replication is stopped), or too many of
    /// its possible ackers were reached for the rest to give it the acks it needs.
    /// </summary>
    public static bool HasRevoked(DurabilityPolicy policy, TabletInfo tablet, IReadOnlyCollection<TabletInfo> reached,
        IReadOnlyCollection<TabletInfo> all, out int unreachedAckers, out int acksNeeded)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tablet);
        ArgumentNullException.ThrowIfNull(reached);
        ArgumentNullException.ThrowIfNull(all);
        acksNeeded = policy.SemiSyncAckers(tablet);
        unreachedAckers = 0;
        if (Contains(reached, tablet.Alias))
        {
            return true;
        }
        unreachedAckers = policy.CountSemiSyncAckersAmong(tablet, all) - policy.CountSemiSyncAckersAmong(tablet, reached);
        return unreachedAckers < acksNeeded;
    }

    /// <summary>
    /// The candidate, once promoted, could commit writes with the tablets we reached: it was reached itself and at
    /// least as many reached tablets can ack for it as it needs acks.
    /// </summary>
    public static bool CanEstablish(DurabilityPolicy policy, TabletInfo candidate, IReadOnlyCollection<TabletInfo> reached,
        out int reachedAckers, out int acksNeeded)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reached);
        acksNeeded = policy.SemiSyncAckers(candidate);
        reachedAckers = policy.CountSemiSyncAckersAmong(candidate, reached);
        return Contains(reached, candidate.Alias) && reachedAckers >= acksNeeded;
    }

    private static bool Contains(IReadOnlyCollection<TabletInfo> tablets, string alias)
    {
        foreach (var tablet in tablets)
        {
            if (tablet.Alias == alias)
            {
                return true;
            }
        }
        return false;
    }
}
