namespace Vtorc.Agent.Flavors;

/// <summary>
/// The statements that fence a primary whose read_only switch is held up (docs/reliability.md, "Fencing a demoted
/// primary"): list the server's connections, tell client connections from replication and system threads, kill them.
/// Our agent has no query service to stop as vttablet does in DemotePrimary
/// (go/vt/vttablet/tabletmanager/rpc_replication.go); killing the clients is its equivalent. Same on MySQL and MariaDB.
/// </summary>
internal static class ClientConnections
{
    /// <summary>Every connection but the one asking: ID, USER, COMMAND, STATE.</summary>
    public const string ListQuery =
        "SELECT ID, USER, COMMAND, STATE FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()";

    /// <summary>The longest a statement of the agent waits for a metadata lock while fencing (whole seconds only).</summary>
    public const int LockWaitSeconds = 1;

    public static string SetLockWait(int seconds) => "SET SESSION lock_wait_timeout = " + SqlText.Integer(seconds);

    public const string ResetLockWait = "SET SESSION lock_wait_timeout = DEFAULT";

    public static string Kill(long id) => "KILL CONNECTION " + SqlText.Integer(id);

    /// <summary>
    /// Whether a connection belongs to a client (and may be killed to fence the server): not a replica's binlog dump
    /// (it carries acknowledgements and the demoted primary's last events), not the server's own replication or
    /// background threads, not one already being killed.
    /// </summary>
    public static bool IsClient(string? user, string? command)
    {
        var c = command ?? "";
        var u = user ?? "";
        return !(c.StartsWith("Binlog Dump", StringComparison.OrdinalIgnoreCase)
            || c.StartsWith("Slave_", StringComparison.OrdinalIgnoreCase)
            || c.StartsWith("Replica_", StringComparison.OrdinalIgnoreCase)
            || c.Equals("Daemon", StringComparison.OrdinalIgnoreCase)
            || c.Equals("Killed", StringComparison.OrdinalIgnoreCase)
            || u.Equals("system user", StringComparison.OrdinalIgnoreCase)
            || u.Equals("event_scheduler", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether a connection's commit waits for a semi-sync acknowledgement (MySQL and MariaDB state text).</summary>
    public static bool WaitsForSemiSyncAck(string? state) =>
        (state ?? "").Contains("semi-sync ACK", StringComparison.OrdinalIgnoreCase);
}
