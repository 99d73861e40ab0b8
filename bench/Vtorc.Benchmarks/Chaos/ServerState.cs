using Vtorc.Agent.MySql;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>What the checker reads from one server as root over its unix socket.</summary>
internal sealed record ServerState(bool ReadOnly, ReplicaThreads? Replica, string GtidBinlogState)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The state, or null when the server cannot be read (stopped, frozen, killed).</summary>
    public static async Task<ServerState?> ReadAsync(ChaosServer server, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ReadTimeout * 2);
            using var connection = await MySqlCalls.OpenAsync(server.Root(ReadTimeout), deadline.Token).ConfigureAwait(false);
            var globals = (await connection.QueryAsync("SELECT @@global.read_only, @@global.gtid_binlog_state", deadline.Token).ConfigureAwait(false))
                .SingleRowOrDefault();
            var replica = (await connection.QueryAsync("SHOW SLAVE STATUS", deadline.Token).ConfigureAwait(false)).SingleRowOrDefault();
            return new ServerState(globals?[0] == "1", replica is null ? null : ReplicaThreads.From(replica), globals?[1] ?? "");
        }
        catch (Exception e) when (e is MySqlCallException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}

/// <summary>The replication threads of a server as SHOW SLAVE STATUS shows them.</summary>
internal sealed record ReplicaThreads(string SourceHost, bool IoRunning, bool SqlRunning, int LastIoErrno, int LastSqlErrno, string LastError)
{
    /// <summary>MariaDB's "could not find GTID state requested by slave in any binlog files" / "slave has diverged".</summary>
    public const int DivergedErrno = 1236;

    public bool Diverged => LastIoErrno == DivergedErrno || LastSqlErrno == DivergedErrno;

    public static ReplicaThreads From(MySqlRow row) => new(
        row["Master_Host"] ?? "",
        row["Slave_IO_Running"] == "Yes",
        row["Slave_SQL_Running"] == "Yes",
        int.TryParse(row["Last_IO_Errno"], out var io) ? io : 0,
        int.TryParse(row["Last_SQL_Errno"], out var sql) ? sql : 0,
        $"{row["Last_IO_Error"]} {row["Last_SQL_Error"]}".Trim());
}
