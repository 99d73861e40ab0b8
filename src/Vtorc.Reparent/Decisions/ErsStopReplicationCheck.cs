using Vtorc.Reparent.Durability;

namespace Vtorc.Reparent.Decisions;

/// <summary>ERS step 5 (docs/operation-steps.md): are the errors from stopping replication acceptable?</summary>
public static class ErsStopReplicationCheck
{
    public const string InsufficientTabletsMessage = "could not reach sufficient tablets to guarantee safety";

    /// <summary>
    /// No errors, or exactly one from the shard-record primary, is fine. Otherwise every tablet that is not MustNot
    /// must be revoked (<see cref="SemiSyncReach.HasRevoked"/>): with durability <c>none</c> that means every
    /// unreached promotable tablet fails the check.
    /// </summary>
    /// <param name="allTablets">Every tablet ERS contacted (the shard's tablets minus ignored ones).</param>
    /// <param name="reachedAliases">Tablets that answered: replicas that stopped and primaries that were demoted.</param>
    /// <exception cref="ReparentDecisionException">Not revoked; one reason per tablet that could still accept writes, then the errors.</exception>
    public static StopReplicationVerdict Evaluate(IReadOnlyList<TabletInfo> allTablets, IReadOnlyCollection<string> reachedAliases,
        IReadOnlyList<StopReplicationError> errors, string? shardPrimaryAlias, DurabilityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(allTablets);
        ArgumentNullException.ThrowIfNull(reachedAliases);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(policy);
        if (errors.Count == 0)
        {
            return new StopReplicationVerdict(StopReplicationAcceptance.NoErrors, "every tablet that answered stopped replication");
        }
        if (errors.Count == 1 && shardPrimaryAlias is not null && errors[0].Alias == shardPrimaryAlias)
        {
            return new StopReplicationVerdict(StopReplicationAcceptance.OnlyShardPrimaryFailed,
                $"the only failure came from the shard primary {shardPrimaryAlias}: {errors[0].Message}");
        }

        var reachedSet = new HashSet<string>(reachedAliases, StringComparer.Ordinal);
        var reached = allTablets.Where(t => reachedSet.Contains(t.Alias)).ToArray();
        var notRevoked = new List<CandidateRejection>();
        foreach (var tablet in allTablets)
        {
            if (policy.PromotionRuleOf(tablet) == PromotionRule.MustNot)
            {
                continue;
            }
            if (!SemiSyncReach.HasRevoked(policy, tablet, reached, allTablets, out int unreachedAckers, out int acksNeeded))
            {
                notRevoked.Add(new CandidateRejection(tablet.Alias, acksNeeded == 0
                    ? $"was not reached and needs no semi-sync acks under durability policy \"{policy.Name}\", so it could still accept writes"
                    : $"was not reached and {unreachedAckers} of its possible semi-sync ackers were not reached either (it needs {acksNeeded}), so it could still accept writes"));
            }
        }
        if (notRevoked.Count > 0)
        {
            var reasons = notRevoked
                .Concat(errors.Select(e => new CandidateRejection(e.Alias, "stop replication failed: " + e.Message)))
                .ToArray();
            throw new ReparentDecisionException(InsufficientTabletsMessage, reasons);
        }
        return new StopReplicationVerdict(StopReplicationAcceptance.Revoked,
            $"{errors.Count} tablet(s) failed to stop replication, but none of the unreached tablets can still accept writes");
    }
}
