using Vtorc.Reparent.Durability;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// The pure part of EmergencyReparentShard in the order an operation runs it (step numbers of docs/operation-steps.md):
/// <list type="number">
/// <item>stop replication everywhere, then <see cref="ErsStopReplicationCheck.Evaluate"/> (step 5);</item>
/// <item><see cref="SelectValidCandidates"/> (steps 7–8);</item>
/// <item>wait for relay logs and, when GTID-based, read every candidate's reparent journal length (steps 9–10, I/O);</item>
/// <item><see cref="Decide"/> (steps 10–13);</item>
/// <item>if the intermediate source is not ideal, repoint <see cref="ErsCandidateDecision.TabletsToRepoint"/> to it and
/// call <see cref="ChooseAfterRepointing"/> (step 15);</item>
/// <item>promote, and judge the replica results with <see cref="ErsPromotionOutcome.Evaluate"/> (step 16).</item>
/// </list>
/// </summary>
public static class EmergencyReparentDecider
{
    public static ErsValidCandidates SelectValidCandidates(IReadOnlyList<ErsTabletStatus> statuses) =>
        ErsValidCandidateSelector.Select(statuses);

    /// <param name="journalLengths">Reparent journal length per candidate; required when <see cref="ErsValidCandidates.IsGtidBased"/>.</param>
    /// <param name="previousPrimary">The tablet named in the shard record, if any.</param>
    /// <param name="servers">Server version and disk state per candidate (from FullStatus); missing: unknown version, disk not stalled.</param>
    /// <exception cref="ReparentDecisionException">No candidate survives, split brain, or the requested primary cannot be used.</exception>
    public static ErsCandidateDecision Decide(ErsValidCandidates valid, IReadOnlyDictionary<string, int>? journalLengths,
        TabletInfo? previousPrimary, DurabilityPolicy policy, ErsOptions options, IReadOnlyDictionary<string, CandidateServerStatus>? servers = null)
    {
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var rejected = new List<CandidateRejection>(valid.Rejected);
        IReadOnlyList<ErsCandidate> candidates = valid.Candidates;
        if (valid.IsGtidBased)
        {
            if (journalLengths is null)
            {
                throw new ArgumentNullException(nameof(journalLengths), "GTID-based ERS needs every candidate's reparent journal length.");
            }
            var errant = ErsErrantGtidFilter.Filter(candidates, journalLengths);
            candidates = errant.Kept;
            rejected.AddRange(errant.Rejected);
        }
        else
        {
            var diverged = ErsMariaDbDivergenceFilter.Filter(candidates);
            candidates = diverged.Kept;
            rejected.AddRange(diverged.Rejected);
        }

        var ranked = new RankedCandidate[candidates.Count];
        var backupRunning = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var server = servers?.GetValueOrDefault(candidate.Alias) ?? CandidateServerStatus.Unknown;
            ranked[i] = new RankedCandidate(candidate.Tablet, candidate.Position, policy.PromotionRuleOf(candidate.Tablet))
            {
                Version = server.Version,
                DiskStalled = server.DiskStalled,
            };
            if (candidate.BackupRunning)
            {
                backupRunning.Add(candidate.Alias);
            }
        }

        var source = IntermediateSourceSelector.Choose(ranked, options.NewPrimaryAlias, rejected);
        var final = ErsFinalCandidateFilter.Filter(source.Sorted, backupRunning, valid.Reached, previousPrimary, policy, options);
        rejected.AddRange(final.Rejected);
        var preferred = ErsPrimaryCandidateChooser.Identify(source.Source.Alias, final.Candidates, options.NewPrimaryAlias, rejected);
        return new ErsCandidateDecision(
            source.Source.Alias,
            preferred.Alias,
            preferred.Alias == source.Source.Alias,
            valid.IsGtidBased,
            source.Sorted,
            final.Candidates,
            final.OnlyBackupRunningLeft,
            rejected,
            DescribePassedOver(preferred, source.Source.Alias, final.Candidates));
    }

    private static CandidateRejection[] DescribePassedOver(RankedCandidate preferred, string intermediateSource,
        IReadOnlyList<RankedCandidate> finalCandidates)
    {
        var passedOver = new List<CandidateRejection>(finalCandidates.Count);
        foreach (var candidate in finalCandidates)
        {
            if (candidate.Alias == preferred.Alias)
            {
                continue;
            }
            string why = candidate.Rule != preferred.Rule
                ? $"promotion rule {candidate.Rule.ToText()} is worse than {preferred.Alias}'s {preferred.Rule.ToText()}"
                : preferred.Alias == intermediateSource
                    ? $"same promotion rule as the intermediate source {preferred.Alias}, which needs no catch-up"
                    : $"same promotion rule as {preferred.Alias}, which is ordered first (position, then server version, then alias)";
            passedOver.Add(new CandidateRejection(candidate.Alias, why));
        }
        return passedOver.ToArray();
    }

    /// <summary>
    /// Step 15b: among the final candidates that were repointed to the intermediate source (plus the source itself
    /// when it is a final candidate), pick again by promotion rule, keeping the position order.
    /// </summary>
    /// <exception cref="ReparentDecisionException">No final candidate could be repointed, or the requested primary was not.</exception>
    public static ErsFinalChoice ChooseAfterRepointing(ErsCandidateDecision decision, IReadOnlyCollection<string> repointed, ErsOptions options)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(repointed);
        ArgumentNullException.ThrowIfNull(options);
        var succeeded = new HashSet<string>(repointed, StringComparer.Ordinal) { decision.IntermediateSource };
        var survivors = new List<RankedCandidate>();
        var rejected = new List<CandidateRejection>(decision.Rejected);
        foreach (var candidate in decision.FinalCandidates)
        {
            if (succeeded.Contains(candidate.Alias))
            {
                survivors.Add(candidate);
            }
            else
            {
                rejected.Add(new CandidateRejection(candidate.Alias, $"could not be repointed to the intermediate source {decision.IntermediateSource}"));
            }
        }
        var choice = ErsPrimaryCandidateChooser.Identify(decision.IntermediateSource, survivors, options.NewPrimaryAlias, rejected);
        return new ErsFinalChoice(choice.Alias, decision.IntermediateSource, rejected);
    }
}
