namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Replication errors that say the replica and its source have different histories (ReplicationDiverged, ours; see
/// docs/vitess-compatibility.md): restarting replication cannot cure them, only an operator (or a rebuild) can.
/// </summary>
internal static class DivergenceErrors
{
    // MariaDB IO thread, error 1236 from the source: ER_GTID_POSITION_NOT_FOUND_IN_BINLOG(2) ("… which is not in the
    // master's binlog … the slave has diverged"), ER_GTID_START_FROM_BINLOG_HOLE ("… is missing the GTID …"), "could
    // not find GTID state requested by slave". SQL thread with gtid_strict_mode: ER_GTID_STRICT_OUT_OF_ORDER. MySQL:
    // "Slave has more GTIDs than the master has".
    private static readonly string[] Markers =
    [
        "diverged",
        "which is not in the master's binlog",
        "could not find gtid state",
        "is missing the gtid",
        "out-of-order sequence number",
        "has more gtids than the master",
    ];

    /// <summary>Whether either last error text is one of the divergence errors.</summary>
    public static bool IsDivergence(string lastIoError, string lastSqlError) => Matches(lastIoError) || Matches(lastSqlError);

    private static bool Matches(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return false;
        }
        foreach (var marker in Markers)
        {
            if (error.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
