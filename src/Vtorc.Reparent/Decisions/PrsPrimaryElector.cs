using Topodata;
using Vtorc.Replication;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;

namespace Vtorc.Reparent.Decisions;

/// <summary>PRS step 2, <c>ElectNewPrimary</c> (go/vt/vtctl/reparentutil/util.go; docs/operation-steps.md).</summary>
internal static class PrsPrimaryElector
{
    public const string NoCandidateMessage = "cannot find a tablet to reparent to";

    /// <summary>
    /// Keeps REPLICA tablets (never RDONLY) in the shard-record primary's cell (any cell for a fresh shard or with
    /// <see cref="PrsElectionOptions.AllowCrossCellPromotion"/>), other than the avoided tablet, and only the requested
    /// new primary when one is given.
    /// </summary>
    /// <param name="tablets">The shard's tablet map.</param>
    /// <param name="shardPrimaryAlias">The primary named in the shard record, null for a fresh shard.</param>
    /// <exception cref="ReparentDecisionException">No tablet qualifies; one reason per tablet.</exception>
    public static PrsPreselection Preselect(IReadOnlyList<TabletInfo> tablets, string? shardPrimaryAlias, PrsElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        ArgumentNullException.ThrowIfNull(options);
        string? primaryCell = null;
        if (shardPrimaryAlias is not null && !options.AllowCrossCellPromotion)
        {
            if (!TabletAliasText.TrySplit(shardPrimaryAlias, out var cell, out _))
            {
                throw new ArgumentException($"Invalid shard primary alias \"{shardPrimaryAlias}\": expected <cell>-<uid>.", nameof(shardPrimaryAlias));
            }
            primaryCell = cell.ToString();
        }

        var candidates = new List<TabletInfo>();
        var rejected = new List<CandidateRejection>();
        foreach (var tablet in tablets)
        {
            string? why = null;
            if (options.NewPrimaryAlias is not null && tablet.Alias != options.NewPrimaryAlias)
            {
                why = $"is not the requested new primary {options.NewPrimaryAlias}";
            }
            else if (options.AvoidPrimaryAlias is not null && tablet.Alias == options.AvoidPrimaryAlias)
            {
                why = "is the primary to avoid";
            }
            else if (tablet.Type != TabletType.Replica)
            {
                why = $"is not a REPLICA (type {tablet.Type.ToName()})";
            }
            else if (primaryCell is not null && !string.Equals(tablet.Cell, primaryCell, StringComparison.Ordinal))
            {
                why = $"is in cell \"{tablet.Cell}\", not in the previous primary's cell \"{primaryCell}\"";
            }
            if (why is null)
            {
                candidates.Add(tablet);
            }
            else
            {
                rejected.Add(new CandidateRejection(tablet.Alias, why));
            }
        }
        if (candidates.Count == 0)
        {
            throw new ReparentDecisionException(NoCandidateMessage, rejected);
        }
        string? shortcut = candidates.Count == 1 && !options.HasLagLimit ? candidates[0].Alias : null;
        return new PrsPreselection(candidates, shortcut, rejected);
    }

    /// <summary>
    /// Drops candidates lagging more than the tolerable lag (and, when a limit is set, those whose lag is unknown)
    /// and candidates taking a backup or reporting a stalled disk, then sorts with <see cref="CandidateOrdering"/>: most advanced position, then
    /// better promotion rule, then lower server version, then larger buffer-pool data when every candidate reported
    /// it, then alias.
    /// </summary>
    /// <param name="statuses">One status per preselected candidate.</param>
    /// <exception cref="ArgumentException">A preselected candidate has no status.</exception>
    /// <exception cref="ReparentDecisionException">No candidate is left; one reason per tablet.</exception>
    public static PrsElection Elect(PrsPreselection preselection, IReadOnlyList<PrsCandidateStatus> statuses, DurabilityPolicy policy,
        PrsElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(preselection);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var byAlias = new Dictionary<string, PrsCandidateStatus>(StringComparer.Ordinal);
        foreach (var status in statuses)
        {
            byAlias[status.Alias] = status;
        }

        var rejected = new List<CandidateRejection>(preselection.Rejected);
        var valid = new List<RankedCandidate>();
        foreach (var tablet in preselection.Candidates)
        {
            if (!byAlias.TryGetValue(tablet.Alias, out var status))
            {
                throw new ArgumentException($"No replication status for PRS candidate \"{tablet.Alias}\".", nameof(statuses));
            }
            if (options.HasLagLimit && status.ReplicationLag is null)
            {
                rejected.Add(new CandidateRejection(tablet.Alias,
                    $"replication lag is unknown, so it cannot be held to the tolerable {Seconds(options.TolerableReplicationLag)}"));
                continue;
            }
            if (options.HasLagLimit && status.ReplicationLag > options.TolerableReplicationLag)
            {
                rejected.Add(new CandidateRejection(tablet.Alias,
                    $"has {Seconds(status.ReplicationLag!.Value)} replication lag, more than the tolerable {Seconds(options.TolerableReplicationLag)}"));
                continue;
            }
            if (status.BackupRunning)
            {
                rejected.Add(new CandidateRejection(tablet.Alias, "is taking a backup"));
                continue;
            }
            if (status.DiskStalled)
            {
                rejected.Add(new CandidateRejection(tablet.Alias, "reported a stalled disk (FullStatus disk_stalled)"));
                continue;
            }
            valid.Add(new RankedCandidate(tablet, CandidatePosition.CombinedOnly(status.ComparedPosition), policy.PromotionRuleOf(tablet),
                status.BufferPoolDataPages) { Version = status.Version });
        }
        if (valid.Count == 0)
        {
            throw new ReparentDecisionException(NoCandidateMessage, rejected);
        }
        var ranking = CandidateOrdering.Sort(valid);
        bool versionsCompared = ServerVersion.AreComparable(ranking.Select(r => r.Version));
        for (int i = 1; i < ranking.Length; i++)
        {
            rejected.Add(new CandidateRejection(ranking[i].Alias, DescribeLoss(ranking[0], ranking[i], versionsCompared)));
        }
        return new PrsElection(ranking[0].Alias, ranking, rejected);
    }

    private static string DescribeLoss(RankedCandidate winner, RankedCandidate loser, bool versionsCompared)
    {
        var w = winner.Position.Combined;
        var l = loser.Position.Combined;
        if (PositionComparison.StrictlyContains(w, l))
        {
            return $"less advanced than {winner.Alias}";
        }
        if (!w.Equals(l) && !w.Contains(l))
        {
            return $"position not comparable with {winner.Alias}'s; ordered by how many candidates are ahead";
        }
        if (winner.Rule != loser.Rule)
        {
            return $"as advanced as {winner.Alias} but with a worse promotion rule ({loser.Rule.ToText()} against {winner.Rule.ToText()})";
        }
        if (versionsCompared && ServerVersion.CompareForReplication(winner.Version, loser.Version) < 0)
        {
            return $"as advanced as {winner.Alias} but with a higher or unknown server version ({loser.Version?.ToString() ?? "unknown"} against {winner.Version})";
        }
        if (winner.BufferPoolDataPages is { } wp && loser.BufferPoolDataPages is { } lp && wp != lp)
        {
            return $"as advanced as {winner.Alias} but with less buffer-pool data ({lp} pages against {wp})";
        }
        return $"tied with {winner.Alias}, which sorts first by alias";
    }

    private static string Seconds(TimeSpan span) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s");
}
