namespace Vtorc.Agent.Flavors;

/// <summary>
/// The small write the semi-sync monitor commits to release commits that wait for an acknowledgement no new commit
/// would bring: the acknowledgement of this later commit releases the earlier waiters too. Table laid out as Vitess's
/// sidecar table (go/vt/sidecardb/schema/misc/semisync_heartbeat.sql); kept at one row. Primary only: on any other
/// server the write would be an errant transaction.
/// </summary>
internal static class SemiSyncHeartbeat
{
    public const string Table = "_vt.semisync_heartbeat";

    /// <summary>One row when the table exists. A read: it never waits for an acknowledgement or a metadata lock.</summary>
    public const string ExistsQuery =
        "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '_vt' AND TABLE_NAME = 'semisync_heartbeat'";

    public static IReadOnlyList<string> CreateStatements() =>
    [
        "CREATE DATABASE IF NOT EXISTS " + ReparentJournal.Database,
        "CREATE TABLE IF NOT EXISTS " + Table + " (ts BIGINT UNSIGNED NOT NULL, PRIMARY KEY (ts)) ENGINE=InnoDB",
    ];

    /// <summary>One transaction: the previous row replaced by <paramref name="unixMicros"/>.</summary>
    public static IReadOnlyList<string> Write(long unixMicros) =>
    [
        "BEGIN",
        "DELETE FROM " + Table,
        "INSERT INTO " + Table + " (ts) VALUES (" + SqlText.Integer(unixMicros) + ")",
        "COMMIT",
    ];
}
