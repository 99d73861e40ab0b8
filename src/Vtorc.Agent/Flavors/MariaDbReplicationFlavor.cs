using Replicationdata;
using Vtorc.Agent.MySql;
using Vtorc.Replication;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// MariaDB 10.6+: GTID replication with MASTER_USE_GTID = current_pos (so a demoted primary resumes from everything
/// it has, including what it wrote itself), built-in semi-sync, no super_read_only and no server_uuid.
/// </summary>
internal sealed class MariaDbReplicationFlavor : IReplicationFlavor
{
    private static readonly string[] VariableNames =
    [
        "server_id", "version", "version_comment", "read_only", "binlog_format", "binlog_row_image", "log_bin",
        "log_slave_updates", "gtid_strict_mode", "slave_net_timeout", "gtid_binlog_state",
        "rpl_semi_sync_master_enabled", "rpl_semi_sync_slave_enabled", "rpl_semi_sync_master_timeout",
    ];

    private static readonly string[] StatusNames =
    [
        "Rpl_semi_sync_master_status", "Rpl_semi_sync_slave_status", "Rpl_semi_sync_master_clients", "Slave_heartbeat_period",
        "Rpl_semi_sync_master_wait_sessions", "Rpl_semi_sync_master_yes_tx",
    ];

    private readonly Func<string, string> _quote;

    internal MariaDbReplicationFlavor(MySqlFlavor server, Func<string, string> quote)
    {
        Server = server;
        _quote = quote;
        FullStatusVariablesQuery = ServerVariables.GlobalVariablesQuery(VariableNames);
        FullStatusStatusQuery = ServerVariables.GlobalStatusQuery(StatusNames);
    }

    public string Name => "MariaDB";

    public PositionFlavor PositionFlavor => PositionFlavor.MariaDb;

    public MySqlFlavor Server { get; }

    public bool SupportsSuperReadOnly => false;

    public IReadOnlyList<string> StopReplication() => ["STOP SLAVE"];

    public IReadOnlyList<string> StopIoThread() => ["STOP SLAVE IO_THREAD"];

    public IReadOnlyList<string> StartReplication() => ["START SLAVE"];

    public IReadOnlyList<string> StartSqlThread() => ["START SLAVE SQL_THREAD"];

    /// <summary>
    /// gtid_slave_pos is left alone: clearing it fails (error 1948) on any server whose binary log holds transactions it
    /// wrote itself, i.e. every former primary, and with MASTER_USE_GTID = current_pos the binlog position wins anyway.
    /// </summary>
    public IReadOnlyList<string> ResetReplication() => ["STOP SLAVE", "RESET SLAVE ALL"];

    public IReadOnlyList<string> ResetReplicationParameters() => ["STOP SLAVE", "RESET SLAVE ALL"];

    public IReadOnlyList<string> SetReplicationSource(ReplicationSourceSettings source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sql = "CHANGE MASTER TO MASTER_HOST = " + _quote(source.Host)
            + ", MASTER_PORT = " + SqlText.Integer(source.Port)
            + ", MASTER_USER = " + _quote(source.User)
            + ", MASTER_PASSWORD = " + _quote(source.Password);
        if (source.ConnectRetrySeconds > 0)
        {
            sql += ", MASTER_CONNECT_RETRY = " + SqlText.Integer(source.ConnectRetrySeconds);
        }
        if (source.HeartbeatIntervalSeconds > 0)
        {
            sql += ", MASTER_HEARTBEAT_PERIOD = " + SqlText.Seconds(source.HeartbeatIntervalSeconds);
        }
        sql += source.AutoPosition ? ", MASTER_USE_GTID = current_pos" : ", MASTER_USE_GTID = no";
        return [sql];
    }

    public IReadOnlyList<string> SetReplicationPosition(ReplicationPosition position)
    {
        var gtids = RequireMariaDb(position, nameof(position));
        var text = _quote(gtids.ToString());
        // RESET MASTER empties gtid_binlog_state so it can be set; setting it too makes this server able to serve
        // replicas from exactly this position if it is promoted later (strict mode would refuse otherwise).
        return ["RESET MASTER", "SET GLOBAL gtid_binlog_state = " + text, "SET GLOBAL gtid_slave_pos = " + text];
    }

    public string ReplicationStatusQuery => "SHOW ALL SLAVES STATUS";

    public Status? ParseReplicationStatus(IReadOnlyList<RowValues> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // Only the default (unnamed) connection is ours; named multi-source connections are ignored.
        var row = rows.FirstOrDefault(r => r.GetText("Connection_name").Length == 0);
        if (row is null)
        {
            return null;
        }
        var lag = row.Get("Seconds_Behind_Master");
        var usingGtid = row.GetText("Using_Gtid").Trim();
        return new Status
        {
            Position = StatusValues.Position(ReplicationPosition.MariaDbPrefix, row.Get("Gtid_Slave_Pos"), "Gtid_Slave_Pos").ToString(),
            RelayLogPosition = "",
            FilePosition = StatusValues.FilePos(row, ["Relay_Master_Log_File"], ["Exec_Master_Log_Pos"]),
            RelayLogSourceBinlogEquivalentPosition = StatusValues.FilePos(row, ["Master_Log_File"], ["Read_Master_Log_Pos"]),
            RelayLogFilePosition = StatusValues.FilePos(row, ["Relay_Log_File"], ["Relay_Log_Pos"]),
            ReplicationLagSeconds = lag is null ? 0 : StatusValues.UInt32(row, "Seconds_Behind_Master"),
            ReplicationLagUnknown = lag is null,
            SourceHost = row.GetText("Master_Host"),
            SourcePort = StatusValues.Int32(row, "Master_Port"),
            ConnectRetry = StatusValues.Int32(row, "Connect_Retry"),
            SourceServerId = StatusValues.UInt32(row, "Master_Server_Id"),
            SourceUuid = "",
            SourceUser = row.GetText("Master_User"),
            IoState = ReplicationThreadState.Parse(row.Get("Slave_IO_Running")),
            SqlState = ReplicationThreadState.Parse(row.Get("Slave_SQL_Running")),
            LastIoError = row.GetText("Last_IO_Error"),
            LastSqlError = row.GetText("Last_SQL_Error"),
            SqlDelay = StatusValues.UInt32(row, "SQL_Delay"),
            // auto_position is MySQL's SOURCE_AUTO_POSITION (VTOrc reads it as "Oracle GTID"); MariaDB reports its
            // GTID mode through using_gtid only.
            AutoPosition = false,
            UsingGtid = usingGtid.Length > 0 && !usingGtid.Equals("No", StringComparison.OrdinalIgnoreCase),
            HasReplicationFilters = StatusValues.HasFilters(row),
            SslAllowed = row.GetText("Master_SSL_Allowed").Trim().Equals("Yes", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <remarks>
    /// Heartbeats only come while the source has nothing to send, events only while it has: the marker joins the
    /// received-heartbeat count, the received binlog coordinates and the received GTID position (Gtid_IO_Pos).
    /// </remarks>
    public string? SourceContactMarker(IReadOnlyList<RowValues> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var row = rows.FirstOrDefault(r => r.GetText("Connection_name").Length == 0);
        if (row is null || ReplicationThreadState.Parse(row.Get("Slave_IO_Running")) != ReplicationThreadState.Running
            || row.Get("Slave_received_heartbeats") is null)
        {
            return null;
        }
        return string.Join('|', row.GetText("Master_Host"), row.GetText("Master_Port"), row.GetText("Slave_received_heartbeats"),
            row.GetText("Master_Log_File"), row.GetText("Read_Master_Log_Pos"), row.GetText("Gtid_IO_Pos"));
    }

    public IReadOnlyList<string> SetReplicaNetTimeout(int seconds) =>
        ["SET GLOBAL slave_net_timeout = " + SqlText.Integer(ReplicationTimeouts.RequireNetTimeout(seconds))];

    /// <remarks>
    /// Not SHOW MASTER STATUS: at AFTER_SYNC, while a commit waits for its acknowledgement the next group commit holds
    /// the binary log's lock, and SHOW MASTER STATUS (like SHOW BINARY LOGS) waits behind it, so a blocked primary
    /// could not even report that it is blocked. The snapshot status variables are read without that lock; they give
    /// the end of the last committed transaction (the same as SHOW MASTER STATUS when nothing waits). No row when the
    /// binary log is off (the file name is empty then).
    /// </remarks>
    public string PrimaryStatusQuery =>
        "SELECT MAX(CASE VARIABLE_NAME WHEN 'BINLOG_SNAPSHOT_FILE' THEN VARIABLE_VALUE END) AS File, "
        + "MAX(CASE VARIABLE_NAME WHEN 'BINLOG_SNAPSHOT_POSITION' THEN VARIABLE_VALUE END) AS Position "
        + "FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('BINLOG_SNAPSHOT_FILE', 'BINLOG_SNAPSHOT_POSITION') HAVING File <> ''";

    public PrimaryStatus? ParsePrimaryStatus(RowValues? row, string? currentPositionText, string serverUuid)
    {
        if (row is null)
        {
            return null;
        }
        return new PrimaryStatus
        {
            Position = ParseCurrentPosition(currentPositionText).ToString(),
            FilePosition = StatusValues.FilePos(row, ["File"], ["Position"]),
            ServerUuid = serverUuid ?? "",
        };
    }

    public string CurrentPositionQuery => "SELECT @@GLOBAL.gtid_binlog_pos";

    public ReplicationPosition ParseCurrentPosition(string? value) =>
        StatusValues.Position(ReplicationPosition.MariaDbPrefix, value, "gtid_binlog_pos");

    public string FullStatusVariablesQuery { get; }

    public string FullStatusStatusQuery { get; }

    public FullStatus BuildFullStatus(FullStatusInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var variables = inputs.Variables;
        var status = inputs.Status;
        // MariaDB has no server_uuid, no gtid_purged/gtid_mode and no super_read_only: they stay empty/false (VTOrc reads
        // them only for MySQL flavours).
        var full = inputs.CommonFullStatus();
        full.LogReplicaUpdates = StatusValues.IsOn(variables, "log_slave_updates");
        // Our FullStatus extension (field 10001, docs/vitess-compatibility.md): per-server_id sequences show
        // divergence a position cannot.
        full.GtidBinlogState = StatusValues.Text(variables, "gtid_binlog_state");
        full.ReplicationConfiguration = new Configuration
        {
            HeartbeatInterval = StatusValues.Double(status, "Slave_heartbeat_period"),
            ReplicaNetTimeout = (int)Math.Min(int.MaxValue, StatusValues.UInt64(variables, "slave_net_timeout")),
        };
        ParseSemiSync(variables, status).ApplyTo(full);
        return full;
    }

    public string? HeartbeatIntervalQuery => null;

    public string? BinlogStateQuery => "SELECT @@GLOBAL.gtid_binlog_state";

    public SemiSyncState ParseSemiSync(IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> status)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(status);
        return new SemiSyncState
        {
            PrimaryEnabled = StatusValues.IsOn(variables, "rpl_semi_sync_master_enabled"),
            ReplicaEnabled = StatusValues.IsOn(variables, "rpl_semi_sync_slave_enabled"),
            PrimaryStatus = StatusValues.IsOn(status, "Rpl_semi_sync_master_status"),
            ReplicaStatus = StatusValues.IsOn(status, "Rpl_semi_sync_slave_status"),
            PrimaryClients = StatusValues.UInt32(status, "Rpl_semi_sync_master_clients"),
            PrimaryTimeoutMilliseconds = StatusValues.UInt64(variables, "rpl_semi_sync_master_timeout"),
            // MariaDB's primary always waits for exactly one acknowledgement.
            WaitForReplicaCount = 1,
            PrimaryWaitSessions = StatusValues.UInt32(status, "Rpl_semi_sync_master_wait_sessions"),
            PrimaryAckedTransactions = StatusValues.UInt64(status, "Rpl_semi_sync_master_yes_tx"),
        };
    }

    public string? SemiSyncPluginQuery => null;

    public IReadOnlyList<string> InstallSemiSyncPlugins(IReadOnlyCollection<string> loadedPlugins) => [];

    public IReadOnlyList<string> SetSemiSync(bool primary, bool replica) =>
    [
        // A primary that waits for acknowledgements waits for ever, also with no replica connected: it never
        // degrades to asynchronous commit (docs/reliability.md). Set before enabling, so no commit sees the old timeout.
        .. primary
            ? new[]
            {
                "SET GLOBAL rpl_semi_sync_master_timeout = " + SemiSyncSettings.InfiniteTimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON",
                // Waiting commits stay uncommitted in InnoDB, so a crash can drop them (docs/reliability.md,
                // "Unacknowledged commits of an old primary"); MariaDB's default, AFTER_COMMIT, commits them first.
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC",
            }
            : [],
        "SET GLOBAL rpl_semi_sync_master_enabled = " + SqlText.OnOff(primary),
        "SET GLOBAL rpl_semi_sync_slave_enabled = " + SqlText.OnOff(replica),
    ];

    public IReadOnlyList<string> SetReadOnly(bool readOnly, bool superReadOnly) => ["SET GLOBAL read_only = " + SqlText.OnOff(readOnly)];

    public string ReadOnlyQuery => "SELECT @@GLOBAL.read_only AS read_only";

    /// <remarks>
    /// MASTER_GTID_WAIT watches gtid_slave_pos only: transactions this server wrote itself (as a primary) never count,
    /// so a caller must first compare <see cref="CurrentPositionQuery"/> (gtid_binlog_pos) with the target and skip the
    /// wait when it already contains it.
    /// </remarks>
    public PositionWait WaitForPosition(ReplicationPosition position, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(position);
        var seconds = SqlText.PositiveSeconds(timeout);
        if (position.Flavor == PositionFlavor.FilePos)
        {
            return new PositionWait(
                "SELECT MASTER_POS_WAIT(" + _quote(position.File!.File) + ", " + SqlText.Integer(position.File.Offset)
                + ", " + SqlText.WholeSeconds(seconds) + ")",
                PositionWaitKind.FilePosition);
        }
        var gtids = RequireMariaDb(position, nameof(position));
        return new PositionWait("SELECT MASTER_GTID_WAIT(" + _quote(gtids.ToString()) + ", " + SqlText.Seconds(seconds) + ")",
            PositionWaitKind.MariaDbGtid);
    }

    private static MariaDbGtidPosition RequireMariaDb(ReplicationPosition position, string name)
    {
        ArgumentNullException.ThrowIfNull(position, name);
        return position.Flavor == PositionFlavor.MariaDb
            ? position.MariaDb!
            : throw new ArgumentException($"position \"{position}\" is not a MariaDB GTID position (expected MariaDB/domain-server-sequence)", name);
    }
}
