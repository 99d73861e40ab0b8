using Topodata;
using Vtorc.Replication;
using Vtorc.Topo;

namespace Vtorc.Reparent.Decisions;

/// <summary>ERS steps 7 and 8 (docs/operation-steps.md; docs/wire-format.md, "Replication positions"): candidate
/// positions, GTID mode, type restriction.</summary>
internal static class ErsValidCandidateSelector
{
    public const string NoValidCandidatesMessage = "no valid candidates for emergency reparent";
    public const string MixedReplicationMessage = "encountered mix of GTID-based and non GTID-based relay logs";

    /// <summary>
    /// Replicas are GTID-based when their relay-log position is MySQL56: then Combined = relay-log position and
    /// Executed = executed position; otherwise (MariaDB, file positions) Combined = executed position only.
    /// A demoted primary contributes its primary position as Combined. BACKUP, RESTORE and DRAINED tablets are no
    /// candidates (SPARE/EXPERIMENTAL stay, to be dropped later as MustNot, as in Vitess).
    /// </summary>
    /// <exception cref="ReparentDecisionException">GTID and non-GTID relay logs are mixed, a replica has no relay-log
    /// position while others are GTID-based, or no candidate is left.</exception>
    public static ErsValidCandidates Select(IReadOnlyList<ErsTabletStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool anyGtid = false;
        bool anyNonGtid = false;
        string? firstWithoutRelayLog = null;
        foreach (var status in statuses)
        {
            if (!seen.Add(status.Alias))
            {
                throw new ArgumentException($"Tablet \"{status.Alias}\" appears twice in the ERS status list.", nameof(statuses));
            }
            if (status.WasPrimary)
            {
                continue;
            }
            if (status.RelayLog.Flavor == PositionFlavor.MySql56)
            {
                anyGtid = true;
            }
            else
            {
                anyNonGtid = true;
            }
            if (status.RelayLog.IsEmpty)
            {
                firstWithoutRelayLog ??= status.Alias;
            }
        }
        if (anyGtid && firstWithoutRelayLog is not null)
        {
            throw new ReparentDecisionException(
                $"encountered tablet {firstWithoutRelayLog} with no relay log position, when at least one other tablet in the status map has GTID based relay log positions");
        }
        if (anyGtid && anyNonGtid)
        {
            throw new ReparentDecisionException(MixedReplicationMessage, statuses
                .Where(s => !s.WasPrimary)
                .Select(s => new CandidateRejection(s.Alias, s.RelayLog.Flavor == PositionFlavor.MySql56
                    ? "GTID-based relay log"
                    : $"non-GTID relay log (relay-log position \"{s.RelayLog}\", executed \"{s.Executed}\")"))
                .ToArray());
        }

        var candidates = new List<ErsCandidate>(statuses.Count);
        var rejected = new List<CandidateRejection>();
        var reached = new List<TabletInfo>(statuses.Count);
        foreach (var status in statuses)
        {
            reached.Add(status.Tablet);
            if (status.Tablet.Type is TabletType.Backup or TabletType.Restore or TabletType.Drained)
            {
                rejected.Add(new CandidateRejection(status.Alias,
                    $"type {status.Tablet.Type.ToName()} is never a candidate for emergency reparent"));
                continue;
            }
            var position = status.WasPrimary || !anyGtid
                ? CandidatePosition.CombinedOnly(status.Executed)
                : new CandidatePosition(status.RelayLog, status.Executed);
            candidates.Add(new ErsCandidate(status.Tablet, position, status.WasPrimary, status.SourceUuid, status.BackupRunning)
            {
                BinlogState = status.BinlogState,
                SourceServerId = status.SourceServerId,
            });
        }
        if (candidates.Count == 0)
        {
            throw new ReparentDecisionException(NoValidCandidatesMessage, rejected);
        }
        return new ErsValidCandidates(candidates, anyGtid, reached, rejected);
    }
}
