using Topodata;
using Vtorc.Replication;
using Vtorc.Topo;

namespace Vtorc.Reparent.Decisions;

/// <summary>PRS steps 3 and 4 (docs/operation-steps.md): the current primary and how to promote.</summary>
internal static class PrsPromotionPlanner
{
    /// <summary>
    /// The PRIMARY-typed tablet with the newest term start time; null when there is none or when two share the
    /// newest time (ambiguous). An unset time counts as the oldest possible.
    /// </summary>
    public static string? FindCurrentPrimary(IReadOnlyList<PrsPrimaryTerm> tablets)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        string? current = null;
        DateTimeOffset newest = DateTimeOffset.MinValue;
        bool tie = false;
        foreach (var entry in tablets)
        {
            if (entry.Tablet.Type != TabletType.Primary)
            {
                continue;
            }
            var start = entry.TermStartTime ?? DateTimeOffset.MinValue;
            if (current is null || start > newest)
            {
                current = entry.Tablet.Alias;
                newest = start;
                tie = false;
            }
            else if (start == newest)
            {
                tie = true;
            }
        }
        return tie ? null : current;
    }

    public static PrsPromotionPath ChoosePath(string? currentPrimary, string? shardRecordPrimary, string primaryElect)
    {
        ArgumentNullException.ThrowIfNull(primaryElect);
        if (currentPrimary is null)
        {
            return shardRecordPrimary is null ? PrsPromotionPath.InitialPromotion : PrsPromotionPath.PotentialPromotion;
        }
        return currentPrimary == primaryElect ? PrsPromotionPath.PartialPromotionRecovery : PrsPromotionPath.Graceful;
    }

    /// <summary>
    /// Potential promotion: after demoting every tablet, the primary-elect must already have every transaction any
    /// other tablet has.
    /// </summary>
    /// <exception cref="ReparentDecisionException">Some tablet has transactions the primary-elect lacks; one reason per such tablet.</exception>
    public static void VerifyPrimaryElectContainsAll(string primaryElect, IReadOnlyDictionary<string, ReplicationPosition> positions)
    {
        ArgumentNullException.ThrowIfNull(primaryElect);
        ArgumentNullException.ThrowIfNull(positions);
        if (!positions.TryGetValue(primaryElect, out var electPosition))
        {
            throw new ArgumentException($"No position for primary-elect \"{primaryElect}\".", nameof(positions));
        }
        var ahead = positions
            .Where(p => p.Key != primaryElect && !electPosition.Contains(p.Value))
            .OrderBy(p => p.Key, TabletAliasOrder.Instance)
            .Select(p => new CandidateRejection(p.Key, $"position \"{p.Value}\" has transactions not found in the primary-elect's \"{electPosition}\""))
            .ToArray();
        if (ahead.Length > 0)
        {
            throw new ReparentDecisionException($"primary-elect {primaryElect} is missing transactions that other tablets have", ahead);
        }
    }
}
