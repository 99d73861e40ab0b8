using Vtorc.Reparent.Durability;
using Vtorc.Topo;

namespace Vtorc.Reparent.Decisions;

/// <summary>ERS step 12 (docs/operation-steps.md): which of the sorted candidates may actually be promoted.</summary>
internal static class ErsFinalCandidateFilter
{
    /// <summary>
    /// Drops MustNot tablets, tablets reporting a stalled disk, tablets outside the previous primary's cell when cross-cell promotion is prevented, and
    /// tablets that could not commit writes with the semi-sync ackers reached; keeps tablets running a backup only if
    /// nothing else is left. Order is preserved.
    /// </summary>
    /// <param name="backupRunning">Aliases of reached tablets that reported a running backup.</param>
    /// <param name="reached">Every tablet reached while stopping replication.</param>
    /// <exception cref="ReparentDecisionException">The requested new primary is filtered out.</exception>
    public static ErsFinalCandidates Filter(IReadOnlyList<RankedCandidate> sorted, IReadOnlySet<string> backupRunning,
        IReadOnlyCollection<TabletInfo> reached, TabletInfo? previousPrimary, DurabilityPolicy policy, ErsOptions options)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentNullException.ThrowIfNull(backupRunning);
        ArgumentNullException.ThrowIfNull(reached);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var preferred = new List<RankedCandidate>();
        var takingBackup = new List<RankedCandidate>();
        var rejected = new List<CandidateRejection>();
        foreach (var candidate in sorted)
        {
            var tablet = candidate.Tablet;
            bool isRequested = options.NewPrimaryAlias == tablet.Alias;
            if (candidate.Rule == PromotionRule.MustNot)
            {
                string why = $"promotion rule must_not (type {tablet.Type.ToName()}, durability policy \"{policy.Name}\")";
                if (isRequested)
                {
                    throw new ReparentDecisionException($"proposed primary {tablet.Alias} has a must not promotion rule", [new(tablet.Alias, why)]);
                }
                rejected.Add(new CandidateRejection(tablet.Alias, why));
                continue;
            }
            if (candidate.DiskStalled)
            {
                // A primary failed over for its stalled disk answers ERS like any reachable tablet; promoting it again
                // would repeat the outage (docs/reliability.md, "A stalled disk").
                const string why = "reported a stalled disk (FullStatus disk_stalled)";
                if (isRequested)
                {
                    throw new ReparentDecisionException($"proposed primary {tablet.Alias} has a stalled disk", [new(tablet.Alias, why)]);
                }
                rejected.Add(new CandidateRejection(tablet.Alias, why));
                continue;
            }
            if (options.PreventCrossCellPromotion && previousPrimary is not null
                && !string.Equals(tablet.Cell, previousPrimary.Cell, StringComparison.Ordinal))
            {
                string why = $"in cell \"{tablet.Cell}\", not in the previous primary's cell \"{previousPrimary.Cell}\", and cross-cell promotion is prevented";
                if (isRequested)
                {
                    throw new ReparentDecisionException($"proposed primary {tablet.Alias} is in a different cell than the previous primary", [new(tablet.Alias, why)]);
                }
                rejected.Add(new CandidateRejection(tablet.Alias, why));
                continue;
            }
            if (!SemiSyncReach.CanEstablish(policy, tablet, reached, out int reachedAckers, out int acksNeeded))
            {
                string why = reached.Any(t => t.Alias == tablet.Alias)
                    ? $"could not commit writes after promotion: {reachedAckers} reached tablet(s) can send it semi-sync acks, it needs {acksNeeded}"
                    : "was not reached while stopping replication, so it cannot be promoted safely";
                if (isRequested)
                {
                    throw new ReparentDecisionException($"proposed primary {tablet.Alias} will not be able to make forward progress on being promoted", [new(tablet.Alias, why)]);
                }
                rejected.Add(new CandidateRejection(tablet.Alias, why));
                continue;
            }
            if (backupRunning.Contains(tablet.Alias))
            {
                takingBackup.Add(candidate);
            }
            else
            {
                preferred.Add(candidate);
            }
        }
        if (preferred.Count > 0)
        {
            foreach (var candidate in takingBackup)
            {
                rejected.Add(new CandidateRejection(candidate.Alias, "is running a backup and other candidates remain"));
            }
            return new ErsFinalCandidates(preferred, false, rejected);
        }
        return new ErsFinalCandidates(takingBackup, takingBackup.Count > 0, rejected);
    }
}
