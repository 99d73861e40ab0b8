using Microsoft.Data.Sqlite;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// Operator acknowledgements of finished recoveries (the "ack-recovery" API). A recovery is acknowledged at most
/// once: the first acknowledgement is kept, later ones are no-ops.
/// </summary>
public sealed class RecoveryAcknowledgements(StoreDatabase database)
{
    /// <summary>Acknowledges one recovery; returns how many rows became acknowledged (0 when unknown or already acknowledged).</summary>
    public Task<int> AcknowledgeRecoveryAsync(long recoveryId, string acknowledgedBy, string comment, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        AcknowledgeAsync("recovery_id = $id", $"recovery {recoveryId}", acknowledgedBy, comment, now, cancellationToken,
            ("$id", recoveryId));

    /// <summary>Acknowledges every finished, not yet acknowledged recovery of the shard; returns how many.</summary>
    public Task<int> AcknowledgeShardAsync(string keyspace, string shard, string acknowledgedBy, string comment,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        AcknowledgeAsync("keyspace = $keyspace AND shard = $shard AND end_recovery IS NOT NULL", $"shard {keyspace}/{shard}",
            acknowledgedBy, comment, now, cancellationToken, ("$keyspace", keyspace), ("$shard", shard));

    private async Task<int> AcknowledgeAsync(string where, string what, string acknowledgedBy, string comment,
        DateTimeOffset now, CancellationToken cancellationToken, params (string, object?)[] filter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(acknowledgedBy);
        ArgumentNullException.ThrowIfNull(comment);
        try
        {
            return await database.RunAsync((connection, ct) => SqlCommands.ExecuteAsync(connection, null,
                "INSERT OR IGNORE INTO recovery_acknowledgement (recovery_id, acknowledged_by, comment, acknowledged_at) " +
                $"SELECT recovery_id, $by, $comment, $at FROM topology_recovery WHERE {where}", ct,
                [("$by", acknowledgedBy), ("$comment", comment), ("$at", StoreTime.ToText(now)), .. filter]),
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"acknowledging {what} failed: {ex.Message}", ex);
        }
    }
}
