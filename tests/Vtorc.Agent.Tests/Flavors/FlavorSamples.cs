using Vtorc.Agent.Flavors;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>Status rows as the servers print them (values typed from real SHOW … STATUS output), for the parser tests.</summary>
internal static class FlavorSamples
{
    public const string MySqlUuidA = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    public const string MySqlUuidB = "4c0b6f2a-0000-11e1-9e33-c80aa9429562";

    /// <summary>MariaDB 10.11 SHOW ALL SLAVES STATUS, default connection, both threads running.</summary>
    public static Dictionary<string, string?> MariaDbRunning() => new()
    {
        ["Connection_name"] = "",
        ["Slave_SQL_State"] = "Slave has read all relay log; waiting for more updates",
        ["Slave_IO_State"] = "Waiting for master to send event",
        ["Master_Host"] = "10.0.0.5",
        ["Master_User"] = "vt_repl",
        ["Master_Port"] = "3306",
        ["Connect_Retry"] = "10",
        ["Master_Log_File"] = "mysql-bin.000003",
        ["Read_Master_Log_Pos"] = "1547",
        ["Relay_Log_File"] = "relay-bin.000002",
        ["Relay_Log_Pos"] = "901",
        ["Relay_Master_Log_File"] = "mysql-bin.000003",
        ["Slave_IO_Running"] = "Yes",
        ["Slave_SQL_Running"] = "Yes",
        ["Replicate_Do_DB"] = "",
        ["Replicate_Ignore_DB"] = "",
        ["Replicate_Do_Table"] = "",
        ["Replicate_Ignore_Table"] = "",
        ["Replicate_Wild_Do_Table"] = "",
        ["Replicate_Wild_Ignore_Table"] = "",
        ["Last_Errno"] = "0",
        ["Last_Error"] = "",
        ["Exec_Master_Log_Pos"] = "1200",
        ["Master_SSL_Allowed"] = "No",
        ["Seconds_Behind_Master"] = "7",
        ["Last_IO_Errno"] = "0",
        ["Last_IO_Error"] = "",
        ["Last_SQL_Errno"] = "0",
        ["Last_SQL_Error"] = "",
        ["Master_Server_Id"] = "101",
        ["Using_Gtid"] = "Current_Pos",
        ["Gtid_IO_Pos"] = "0-101-42",
        ["Replicate_Do_Domain_Ids"] = "",
        ["Replicate_Ignore_Domain_Ids"] = "",
        ["SQL_Delay"] = "0",
        ["Replicate_Rewrite_DB"] = "",
        ["Slave_heartbeat_period"] = "30.000",
        ["Gtid_Slave_Pos"] = "1-7-3,0-101-40",
    };

    /// <summary>MySQL 8.0.36 / 8.4 SHOW REPLICA STATUS, default channel, both threads running.</summary>
    public static Dictionary<string, string?> MySqlReplicaRunning() => new()
    {
        ["Replica_IO_State"] = "Waiting for source to send event",
        ["Source_Host"] = "db-primary",
        ["Source_User"] = "repl",
        ["Source_Port"] = "3307",
        ["Connect_Retry"] = "60",
        ["Source_Log_File"] = "binlog.000012",
        ["Read_Source_Log_Pos"] = "9876",
        ["Relay_Log_File"] = "relay.000004",
        ["Relay_Log_Pos"] = "512",
        ["Relay_Source_Log_File"] = "binlog.000012",
        ["Replica_IO_Running"] = "Yes",
        ["Replica_SQL_Running"] = "Yes",
        ["Replicate_Do_DB"] = "",
        ["Replicate_Ignore_DB"] = "",
        ["Replicate_Do_Table"] = "",
        ["Replicate_Ignore_Table"] = "",
        ["Replicate_Wild_Do_Table"] = "",
        ["Replicate_Wild_Ignore_Table"] = "",
        ["Exec_Source_Log_Pos"] = "9000",
        ["Source_SSL_Allowed"] = "Yes",
        ["Seconds_Behind_Source"] = "0",
        ["Last_IO_Error"] = "",
        ["Last_SQL_Error"] = "",
        ["Source_Server_Id"] = "2",
        ["Source_UUID"] = MySqlUuidB,
        ["SQL_Delay"] = "3600",
        ["Retrieved_Gtid_Set"] = MySqlUuidB + ":5-12",
        ["Executed_Gtid_Set"] = MySqlUuidA + ":1-5,\n" + MySqlUuidB + ":1-10",
        ["Auto_Position"] = "1",
        ["Replicate_Rewrite_DB"] = "",
        ["Channel_Name"] = "",
    };

    /// <summary>MySQL 8.0.20 SHOW SLAVE STATUS (Master_* columns), default channel.</summary>
    public static Dictionary<string, string?> MySqlSlaveRunning() => new()
    {
        ["Slave_IO_State"] = "Waiting for master to send event",
        ["Master_Host"] = "old-primary",
        ["Master_User"] = "repl",
        ["Master_Port"] = "3306",
        ["Connect_Retry"] = "60",
        ["Master_Log_File"] = "binlog.000002",
        ["Read_Master_Log_Pos"] = "400",
        ["Relay_Log_File"] = "relay.000002",
        ["Relay_Log_Pos"] = "300",
        ["Relay_Master_Log_File"] = "binlog.000002",
        ["Slave_IO_Running"] = "Yes",
        ["Slave_SQL_Running"] = "No",
        ["Exec_Master_Log_Pos"] = "350",
        ["Master_SSL_Allowed"] = "No",
        ["Seconds_Behind_Master"] = null,
        ["Last_IO_Error"] = "",
        ["Last_SQL_Error"] = "Error 'Duplicate entry' on query",
        ["Master_Server_Id"] = "1",
        ["Master_UUID"] = MySqlUuidA,
        ["SQL_Delay"] = "0",
        ["Retrieved_Gtid_Set"] = "",
        ["Executed_Gtid_Set"] = MySqlUuidA + ":1-3",
        ["Auto_Position"] = "0",
        ["Channel_Name"] = "",
    };

    public static IReadOnlyList<RowValues> Rows(params Dictionary<string, string?>[] rows) =>
        rows.Select(row => RowValues.From(row)).ToArray();

    public static IReadOnlyDictionary<string, string> Values(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.OrdinalIgnoreCase);
}
