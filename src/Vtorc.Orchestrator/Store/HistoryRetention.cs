using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The caretaking deletes (ContinuousDiscovery in go/vt/vtorc/logic/vtorc.go): audit, detections, recoveries and steps
/// older than <c>--audit-purge-duration</c> in whole days; the analysis changelog after 240 h. Active recoveries are
/// kept whatever their age, since deleting one would let a second recovery start in its shard. The operators' reparents
/// (ours) follow the recoveries' rule, their steps going with them.
/// </summary>
public sealed class HistoryRetention(StoreDatabase database, ILogger logger)
{
    public static readonly TimeSpan ChangelogRetention = TimeSpan.FromHours(240);

    public async Task<ExpiryResult> ExpireAsync(DateTimeOffset now, TimeSpan auditPurgeDuration, CancellationToken cancellationToken)
    {
        var wholeDays = Math.Max(0, (int)auditPurgeDuration.TotalDays);
        var historyCutoff = StoreTime.ToText(now - TimeSpan.FromDays(wholeDays));
        var changelogCutoff = StoreTime.ToText(now - ChangelogRetention);
        try
        {
            return await database.RunInTransactionAsync(async (connection, transaction, ct) =>
            {
                Task<int> Delete(string sql, string cutoff) =>
                    SqlCommands.ExecuteAsync(connection, transaction, sql, ct, ("$cutoff", cutoff));

                var detections = await Delete("DELETE FROM recovery_detection WHERE detection_timestamp < $cutoff", historyCutoff).ConfigureAwait(false);
                var recoveries = await Delete(
                    "DELETE FROM topology_recovery WHERE start_recovery < $cutoff AND end_recovery IS NOT NULL", historyCutoff).ConfigureAwait(false);
                var steps = await Delete(
                    "DELETE FROM topology_recovery_steps WHERE audit_at < $cutoff " +
                    "AND recovery_id NOT IN (SELECT recovery_id FROM topology_recovery WHERE end_recovery IS NULL)", historyCutoff).ConfigureAwait(false);
                var acknowledgements = await Delete(
                    "DELETE FROM recovery_acknowledgement WHERE acknowledged_at < $cutoff " +
                    "OR recovery_id NOT IN (SELECT recovery_id FROM topology_recovery)", historyCutoff).ConfigureAwait(false);
                var audit = await Delete("DELETE FROM audit WHERE audit_timestamp < $cutoff", historyCutoff).ConfigureAwait(false);
                var changelog = await Delete(
                    "DELETE FROM database_instance_analysis_changelog WHERE analysis_timestamp < $cutoff", changelogCutoff).ConfigureAwait(false);
                var operatorReparents = await Delete(
                    "DELETE FROM operator_reparent WHERE start_reparent < $cutoff AND end_reparent IS NOT NULL", historyCutoff).ConfigureAwait(false);
                await Delete("DELETE FROM operator_reparent_steps WHERE audit_at < $cutoff " +
                    "AND reparent_id NOT IN (SELECT reparent_id FROM operator_reparent WHERE end_reparent IS NULL)", historyCutoff).ConfigureAwait(false);
                return new ExpiryResult(detections, recoveries, steps, acknowledgements, audit, changelog, operatorReparents);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            logger.HistoryExpiryFailed(ex);
            return ExpiryResult.Failed(ex.Message);
        }
    }
}
