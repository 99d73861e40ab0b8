using System.Globalization;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// The reparent journal in the <c>_vt</c> sidecar database, laid out as Vitess lays it out so that real vttablets
/// and our agents read each other's rows. Written on a primary only: the rows reach replicas by replication (on a
/// replica the DDL and the insert would be errant transactions).
/// </summary>
internal static class ReparentJournal
{
    public const string Database = "_vt";

    public const string Table = "_vt.reparent_journal";

    /// <summary>Creates the database and the table when missing (run before the first insert on a new primary).</summary>
    public static IReadOnlyList<string> CreateStatements() =>
    [
        "CREATE DATABASE IF NOT EXISTS _vt",
        "CREATE TABLE IF NOT EXISTS _vt.reparent_journal ("
            + "time_created_ns BIGINT UNSIGNED NOT NULL, "
            + "action_name VARBINARY(250) NOT NULL, "
            + "primary_alias VARBINARY(32) NOT NULL, "
            + "replication_position VARBINARY(64000) DEFAULT NULL, "
            + "PRIMARY KEY (time_created_ns)) ENGINE=InnoDB",
    ];

    /// <summary>
    /// The PopulateReparentJournal insert. <paramref name="quote"/> makes string literals (default
    /// <see cref="SqlLiteral.Quote"/>); values longer than their column are rejected, quoting them.
    /// </summary>
    public static string Insert(long timeCreatedNs, string actionName, string primaryAlias, string replicationPosition,
        Func<string, string>? quote = null)
    {
        ArgumentNullException.ThrowIfNull(actionName);
        ArgumentNullException.ThrowIfNull(primaryAlias);
        ArgumentNullException.ThrowIfNull(replicationPosition);
        if (timeCreatedNs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timeCreatedNs), timeCreatedNs, "reparent journal time_created_ns must not be negative");
        }
        CheckLength(actionName, 250, nameof(actionName));
        CheckLength(primaryAlias, 32, nameof(primaryAlias));
        CheckLength(replicationPosition, 64000, nameof(replicationPosition));
        quote ??= SqlLiteral.Quote;
        return "INSERT INTO _vt.reparent_journal (time_created_ns, action_name, primary_alias, replication_position) VALUES ("
            + timeCreatedNs.ToString(CultureInfo.InvariantCulture) + ", "
            + quote(actionName) + ", " + quote(primaryAlias) + ", " + quote(replicationPosition) + ")";
    }

    /// <summary>ReadReparentJournalInfo: the number of rows (one column).</summary>
    public const string CountQuery = "SELECT COUNT(*) FROM _vt.reparent_journal";

    /// <summary>
    /// Whether the row written by a reparent has arrived (SetReplicationSource with time_created_ns ≠ 0 polls this
    /// until it answers a row).
    /// </summary>
    public static string RowExistsQuery(long timeCreatedNs) =>
        "SELECT action_name, primary_alias, replication_position FROM _vt.reparent_journal WHERE time_created_ns = "
        + timeCreatedNs.ToString(CultureInfo.InvariantCulture);

    /// <summary>The count from <see cref="CountQuery"/> as the RPC's int32 length.</summary>
    public static int ParseCount(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new FormatException($"reparent journal row count \"{value ?? "NULL"}\" is not a non-negative int32");

    private static void CheckLength(string value, int max, string name)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(value) > max)
        {
            throw new ArgumentException($"reparent journal {name} \"{value}\" is longer than {max} bytes", name);
        }
    }
}
