using Replicationdata;
using Vtorc.Agent.MySql;
using Vtorc.Replication;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// MySQL and Percona 8.0 and later, with the statement spelling of the exact version: SHOW/START/STOP REPLICA from
/// 8.0.22, CHANGE REPLICATION SOURCE TO from 8.0.23, the semisync_source/semisync_replica plugins and SOURCE_POS_WAIT
/// from 8.0.26, SHOW BINARY LOG STATUS and RESET BINARY LOGS AND GTIDS from 8.2 (the old forms are gone in 8.4).
/// </summary>
internal sealed class MySqlReplicationFlavor : IReplicationFlavor
{
    private static readonly string[] VariableNames =
    [
        "server_id", "server_uuid", "gtid_purged", "version", "version_comment", "read_only", "super_read_only",
        "gtid_mode", "binlog_format", "binlog_row_image", "log_bin", "log_replica_updates", "log_slave_updates",
        "replica_net_timeout", "slave_net_timeout",
        "rpl_semi_sync_source_enabled", "rpl_semi_sync_replica_enabled", "rpl_semi_sync_source_timeout",
        "rpl_semi_sync_source_wait_for_replica_count",
        "rpl_semi_sync_master_enabled", "rpl_semi_sync_slave_enabled", "rpl_semi_sync_master_timeout",
        "rpl_semi_sync_master_wait_for_slave_count",
    ];

    private static readonly string[] StatusNames =
    [
        "Rpl_semi_sync_source_status", "Rpl_semi_sync_replica_status", "Rpl_semi_sync_source_clients",
        "Rpl_semi_sync_source_wait_sessions", "Rpl_semi_sync_source_yes_tx",
        "Rpl_semi_sync_master_status", "Rpl_semi_sync_slave_status", "Rpl_semi_sync_master_clients",
        "Rpl_semi_sync_master_wait_sessions", "Rpl_semi_sync_master_yes_tx",
    ];

    private readonly Func<string, string> _quote;
    private readonly bool _replicaWords;      // 8.0.22: SHOW REPLICA STATUS, START/STOP/RESET REPLICA
    private readonly bool _sourceWords;       // 8.0.23: CHANGE REPLICATION SOURCE TO … SOURCE_*
    private readonly bool _newSemiSync;       // 8.0.26: semisync_source / semisync_replica, SOURCE_POS_WAIT
    private readonly bool _binaryLogWords;    // 8.2: SHOW BINARY LOG STATUS, RESET BINARY LOGS AND GTIDS

    internal MySqlReplicationFlavor(MySqlFlavor server, Func<string, string> quote)
    {
        Server = server;
        _quote = quote;
        _replicaWords = AtLeast(server, 8, 0, 22);
        _sourceWords = AtLeast(server, 8, 0, 23);
        _newSemiSync = AtLeast(server, 8, 0, 26);
        _binaryLogWords = AtLeast(server, 8, 2, 0);
        Name = server.Major == 8 && server.Minor == 0 ? "MySQL80" : "MySQL84";
        FullStatusVariablesQuery = ServerVariables.GlobalVariablesQuery(VariableNames);
        FullStatusStatusQuery = ServerVariables.GlobalStatusQuery(StatusNames);
    }

    public string Name { get; }

    public PositionFlavor PositionFlavor => PositionFlavor.MySql56;

    public MySqlFlavor Server { get; }

    public bool SupportsSuperReadOnly => true;

    private string Replica => _replicaWords ? "REPLICA" : "SLAVE";

    private string ResetBinaryLogs => _binaryLogWords ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER";

    public IReadOnlyList<string> StopReplication() => ["STOP " + Replica];

    public IReadOnlyList<string> StopIoThread() => ["STOP " + Replica + " IO_THREAD"];

    public IReadOnlyList<string> StartReplication() => ["START " + Replica];

    public IReadOnlyList<string> StartSqlThread() => ["START " + Replica + " SQL_THREAD"];

    /// <summary>
    /// MySQL keeps a replica's position in gtid_executed, which is also its own history: it is left alone (the same
    /// statements as <see cref="ResetReplicationParameters"/>); <see cref="SetReplicationPosition"/> resets it when asked.
    /// </summary>
    public IReadOnlyList<string> ResetReplication() => ["STOP " + Replica, "RESET " + Replica + " ALL"];

    public IReadOnlyList<string> ResetReplicationParameters() => ["STOP " + Replica, "RESET " + Replica + " ALL"];

    public IReadOnlyList<string> SetReplicationSource(ReplicationSourceSettings source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var p = _sourceWords ? "SOURCE" : "MASTER";
        var sql = (_sourceWords ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ")
            + p + "_HOST = " + _quote(source.Host)
            + ", " + p + "_PORT = " + SqlText.Integer(source.Port)
            + ", " + p + "_USER = " + _quote(source.User)
            + ", " + p + "_PASSWORD = " + _quote(source.Password);
        if (source.ConnectRetrySeconds > 0)
        {
            sql += ", " + p + "_CONNECT_RETRY = " + SqlText.Integer(source.ConnectRetrySeconds);
        }
        if (source.HeartbeatIntervalSeconds > 0)
        {
            sql += ", " + p + "_HEARTBEAT_PERIOD = " + SqlText.Seconds(source.HeartbeatIntervalSeconds);
        }
        sql += ", " + p + "_AUTO_POSITION = " + (source.AutoPosition ? "1" : "0");
        // caching_sha2_password (the 8.x default) needs the source's RSA key when the connection is not TLS.
        sql += ", GET_" + p + "_PUBLIC_KEY = 1";
        return [sql];
    }

    public IReadOnlyList<string> SetReplicationPosition(ReplicationPosition position)
    {
        var gtids = RequireMySql56(position, nameof(position));
        return [ResetBinaryLogs, "SET GLOBAL gtid_purged = " + _quote(gtids.ToString())];
    }

    public string ReplicationStatusQuery => "SHOW " + Replica + " STATUS";

    public Status? ParseReplicationStatus(IReadOnlyList<RowValues> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var row = rows.FirstOrDefault(r => r.GetText("Channel_Name").Length == 0);
        if (row is null)
        {
            return null;
        }
        var executed = StatusValues.Position(ReplicationPosition.MySql56Prefix, row.Get("Executed_Gtid_Set"), "Executed_Gtid_Set");
        var retrieved = StatusValues.Position(ReplicationPosition.MySql56Prefix, row.Get("Retrieved_Gtid_Set"), "Retrieved_Gtid_Set");
        var lag = row.Get("Seconds_Behind_Source", "Seconds_Behind_Master");
        var autoPosition = row.GetText("Auto_Position").Trim() == "1";
        return new Status
        {
            Position = executed.ToString(),
            RelayLogPosition = executed.Union(retrieved).ToString(),
            FilePosition = StatusValues.FilePos(row, ["Relay_Source_Log_File", "Relay_Master_Log_File"], ["Exec_Source_Log_Pos", "Exec_Master_Log_Pos"]),
            RelayLogSourceBinlogEquivalentPosition = StatusValues.FilePos(row, ["Source_Log_File", "Master_Log_File"], ["Read_Source_Log_Pos", "Read_Master_Log_Pos"]),
            RelayLogFilePosition = StatusValues.FilePos(row, ["Relay_Log_File"], ["Relay_Log_Pos"]),
            ReplicationLagSeconds = lag is null ? 0 : StatusValues.UInt32(row, "Seconds_Behind_Source", "Seconds_Behind_Master"),
            ReplicationLagUnknown = lag is null,
            SourceHost = row.GetText("Source_Host", "Master_Host"),
            SourcePort = StatusValues.Int32(row, "Source_Port", "Master_Port"),
            ConnectRetry = StatusValues.Int32(row, "Connect_Retry"),
            SourceServerId = StatusValues.UInt32(row, "Source_Server_Id", "Master_Server_Id"),
            SourceUuid = row.GetText("Source_UUID", "Master_UUID"),
            SourceUser = row.GetText("Source_User", "Master_User"),
            IoState = ReplicationThreadState.Parse(row.Get("Replica_IO_Running", "Slave_IO_Running")),
            SqlState = ReplicationThreadState.Parse(row.Get("Replica_SQL_Running", "Slave_SQL_Running")),
            LastIoError = row.GetText("Last_IO_Error"),
            LastSqlError = row.GetText("Last_SQL_Error"),
            SqlDelay = StatusValues.UInt32(row, "SQL_Delay"),
            AutoPosition = autoPosition,
            UsingGtid = autoPosition,
            HasReplicationFilters = StatusValues.HasFilters(row),
            SslAllowed = row.GetText("Source_SSL_Allowed", "Master_SSL_Allowed").Trim().Equals("Yes", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <remarks>
    /// SHOW REPLICA STATUS has no received-heartbeat count, and an idle source sends nothing else: without it a quiet
    /// primary would look silent, so MySQL reports no silence (performance_schema's
    /// replication_connection_status.LAST_HEARTBEAT_TIMESTAMP could be used later).
    /// </remarks>
    public string? SourceContactMarker(IReadOnlyList<RowValues> rows) => null;

    public IReadOnlyList<string> SetReplicaNetTimeout(int seconds) =>
        // replica_net_timeout arrived with the semi-sync renames, in 8.0.26.
        ["SET GLOBAL " + (_newSemiSync ? "replica_net_timeout" : "slave_net_timeout") + " = "
            + SqlText.Integer(ReplicationTimeouts.RequireNetTimeout(seconds))];

    public string PrimaryStatusQuery => _binaryLogWords ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";

    public PrimaryStatus? ParsePrimaryStatus(RowValues? row, string? currentPositionText, string serverUuid)
    {
        if (row is null)
        {
            return null;
        }
        return new PrimaryStatus
        {
            Position = ParseCurrentPosition(currentPositionText ?? row.Get("Executed_Gtid_Set")).ToString(),
            FilePosition = StatusValues.FilePos(row, ["File"], ["Position"]),
            ServerUuid = serverUuid ?? "",
        };
    }

    public string CurrentPositionQuery => "SELECT @@GLOBAL.gtid_executed";

    public ReplicationPosition ParseCurrentPosition(string? value) =>
        StatusValues.Position(ReplicationPosition.MySql56Prefix, value, "gtid_executed");

    public string FullStatusVariablesQuery { get; }

    public string FullStatusStatusQuery { get; }

    public FullStatus BuildFullStatus(FullStatusInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var variables = inputs.Variables;
        var status = inputs.Status;
        var full = inputs.CommonFullStatus();
        full.ServerUuid = StatusValues.Text(variables, "server_uuid");
        full.GtidPurged = StatusValues.Position(ReplicationPosition.MySql56Prefix, StatusValues.Text(variables, "gtid_purged"), "gtid_purged").ToString();
        full.GtidMode = StatusValues.Text(variables, "gtid_mode");
        full.SuperReadOnly = StatusValues.IsOn(variables, "super_read_only");
        full.LogReplicaUpdates = StatusValues.IsOn(variables, "log_replica_updates", "log_slave_updates");
        full.ReplicationConfiguration = new Configuration
        {
            HeartbeatInterval = inputs.HeartbeatIntervalSeconds ?? 0,
            ReplicaNetTimeout = (int)Math.Min(int.MaxValue, StatusValues.UInt64(variables, "replica_net_timeout", "slave_net_timeout")),
        };
        ParseSemiSync(variables, status).ApplyTo(full);
        return full;
    }

    public string? HeartbeatIntervalQuery =>
        "SELECT HEARTBEAT_INTERVAL FROM performance_schema.replication_connection_configuration WHERE CHANNEL_NAME = ''";

    public SemiSyncState ParseSemiSync(IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> status)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(status);
        // Either plugin generation may be loaded on 8.0.26+; the new names win when both are present.
        return new SemiSyncState
        {
            PrimaryEnabled = StatusValues.IsOn(variables, "rpl_semi_sync_source_enabled", "rpl_semi_sync_master_enabled"),
            ReplicaEnabled = StatusValues.IsOn(variables, "rpl_semi_sync_replica_enabled", "rpl_semi_sync_slave_enabled"),
            PrimaryStatus = StatusValues.IsOn(status, "Rpl_semi_sync_source_status", "Rpl_semi_sync_master_status"),
            ReplicaStatus = StatusValues.IsOn(status, "Rpl_semi_sync_replica_status", "Rpl_semi_sync_slave_status"),
            PrimaryClients = StatusValues.UInt32(status, "Rpl_semi_sync_source_clients", "Rpl_semi_sync_master_clients"),
            PrimaryTimeoutMilliseconds = StatusValues.UInt64(variables, "rpl_semi_sync_source_timeout", "rpl_semi_sync_master_timeout"),
            WaitForReplicaCount = StatusValues.UInt32(variables, "rpl_semi_sync_source_wait_for_replica_count", "rpl_semi_sync_master_wait_for_slave_count"),
            PrimaryWaitSessions = StatusValues.UInt32(status, "Rpl_semi_sync_source_wait_sessions", "Rpl_semi_sync_master_wait_sessions"),
            PrimaryAckedTransactions = StatusValues.UInt64(status, "Rpl_semi_sync_source_yes_tx", "Rpl_semi_sync_master_yes_tx"),
        };
    }

    private string PrimaryPlugin => _newSemiSync ? "rpl_semi_sync_source" : "rpl_semi_sync_master";

    private string ReplicaPlugin => _newSemiSync ? "rpl_semi_sync_replica" : "rpl_semi_sync_slave";

    public string? BinlogStateQuery => null;

    public string? SemiSyncPluginQuery =>
        "SELECT PLUGIN_NAME FROM information_schema.PLUGINS WHERE PLUGIN_NAME IN ('" + PrimaryPlugin + "', '" + ReplicaPlugin + "')";

    public IReadOnlyList<string> InstallSemiSyncPlugins(IReadOnlyCollection<string> loadedPlugins)
    {
        ArgumentNullException.ThrowIfNull(loadedPlugins);
        var statements = new List<string>(2);
        if (!loadedPlugins.Contains(PrimaryPlugin, StringComparer.OrdinalIgnoreCase))
        {
            statements.Add("INSTALL PLUGIN " + PrimaryPlugin + " SONAME '" + (_newSemiSync ? "semisync_source.so" : "semisync_master.so") + "'");
        }
        if (!loadedPlugins.Contains(ReplicaPlugin, StringComparer.OrdinalIgnoreCase))
        {
            statements.Add("INSTALL PLUGIN " + ReplicaPlugin + " SONAME '" + (_newSemiSync ? "semisync_replica.so" : "semisync_slave.so") + "'");
        }
        return statements;
    }

    public IReadOnlyList<string> SetSemiSync(bool primary, bool replica) =>
    [
        // A primary that waits for acknowledgements waits for ever, also with no replica connected: it never
        // degrades to asynchronous commit (docs/reliability.md; Vitess config/mycnf/*.cnf).
        .. primary
            ? new[]
            {
                "SET GLOBAL " + PrimaryPlugin + "_timeout = " + SemiSyncSettings.InfiniteTimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "SET GLOBAL " + PrimaryPlugin + (_newSemiSync ? "_wait_no_replica = ON" : "_wait_no_slave = ON"),
            }
            : [],
        "SET GLOBAL " + PrimaryPlugin + "_enabled = " + SqlText.OnOff(primary),
        "SET GLOBAL " + ReplicaPlugin + "_enabled = " + SqlText.OnOff(replica),
    ];

    public IReadOnlyList<string> SetReadOnly(bool readOnly, bool superReadOnly)
    {
        if (readOnly && superReadOnly)
        {
            // super_read_only = ON turns read_only on as well.
            return ["SET GLOBAL super_read_only = ON"];
        }
        if (readOnly)
        {
            return ["SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = ON"];
        }
        // read_only cannot go off while super_read_only is on.
        return ["SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF"];
    }

    public string ReadOnlyQuery => "SELECT @@GLOBAL.read_only AS read_only, @@GLOBAL.super_read_only AS super_read_only";

    public PositionWait WaitForPosition(ReplicationPosition position, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(position);
        var seconds = SqlText.PositiveSeconds(timeout);
        if (position.Flavor == PositionFlavor.FilePos)
        {
            return new PositionWait(
                "SELECT " + (_newSemiSync ? "SOURCE_POS_WAIT(" : "MASTER_POS_WAIT(") + _quote(position.File!.File) + ", "
                + SqlText.Integer(position.File.Offset) + ", " + SqlText.WholeSeconds(seconds) + ")",
                PositionWaitKind.FilePosition);
        }
        var gtids = RequireMySql56(position, nameof(position));
        return new PositionWait("SELECT WAIT_FOR_EXECUTED_GTID_SET(" + _quote(gtids.ToString()) + ", " + SqlText.Seconds(seconds) + ")",
            PositionWaitKind.MySqlGtid);
    }

    private static bool AtLeast(MySqlFlavor server, int major, int minor, int patch) =>
        (server.Major, server.Minor, server.Patch).CompareTo((major, minor, patch)) >= 0;

    private static GtidSet RequireMySql56(ReplicationPosition position, string name)
    {
        ArgumentNullException.ThrowIfNull(position, name);
        return position.Flavor == PositionFlavor.MySql56
            ? position.GtidSet!
            : throw new ArgumentException($"position \"{position}\" is not a MySQL56 GTID position (expected MySQL56/uuid:interval…)", name);
    }
}
