using Vtorc.Agent.Flavors;
using Vtorc.Replication;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>The exact SQL text of every MySQL statement, for the version spellings 8.0.20, 8.0.36 and 8.4.</summary>
public sealed class MySqlFlavorStatementTests
{
    private static readonly IReplicationFlavor MySql8020 = ReplicationFlavors.For("8.0.20", "MySQL Community Server - GPL");
    private static readonly IReplicationFlavor MySql80 = ReplicationFlavors.For("8.0.36", "MySQL Community Server - GPL");
    private static readonly IReplicationFlavor MySql84 = ReplicationFlavors.For("8.4.3", "MySQL Community Server - GPL");

    private static readonly string Set = "MySQL56/" + FlavorSamples.MySqlUuidA + ":1-5";

    [Fact]
    public void Names_follow_the_release_family()
    {
        Assert.Equal("MySQL80", MySql8020.Name);
        Assert.Equal("MySQL80", MySql80.Name);
        Assert.Equal("MySQL84", MySql84.Name);
        Assert.Equal("MySQL84", ReplicationFlavors.For("9.1.0", "").Name);
        Assert.Equal("MySQL80", ReplicationFlavors.For("8.0.36-28", "Percona Server (GPL), Release 28").Name);
        Assert.All([MySql80, MySql84], f => Assert.Equal(PositionFlavor.MySql56, f.PositionFlavor));
        Assert.All([MySql80, MySql84], f => Assert.True(f.SupportsSuperReadOnly));
    }

    [Fact]
    public void Thread_control_uses_replica_words_from_8_0_22()
    {
        foreach (var flavor in new[] { MySql80, MySql84 })
        {
            Assert.Equal(["STOP REPLICA"], flavor.StopReplication());
            Assert.Equal(["STOP REPLICA IO_THREAD"], flavor.StopIoThread());
            Assert.Equal(["START REPLICA"], flavor.StartReplication());
            Assert.Equal(["START REPLICA SQL_THREAD"], flavor.StartSqlThread());
            Assert.Equal(["STOP REPLICA", "RESET REPLICA ALL"], flavor.ResetReplicationParameters());
        }
        Assert.Equal(["STOP SLAVE"], MySql8020.StopReplication());
        Assert.Equal(["STOP SLAVE IO_THREAD"], MySql8020.StopIoThread());
        Assert.Equal(["START SLAVE"], MySql8020.StartReplication());
        Assert.Equal(["START SLAVE SQL_THREAD"], MySql8020.StartSqlThread());
        Assert.Equal(["STOP SLAVE", "RESET SLAVE ALL"], MySql8020.ResetReplicationParameters());
    }

    [Fact]
    public void Reset_replication_forgets_the_source_but_keeps_binary_logs_and_gtid_executed()
    {
        Assert.Equal(["STOP SLAVE", "RESET SLAVE ALL"], MySql8020.ResetReplication());
        Assert.Equal(["STOP REPLICA", "RESET REPLICA ALL"], MySql80.ResetReplication());
        Assert.Equal(["STOP REPLICA", "RESET REPLICA ALL"], MySql84.ResetReplication());
    }

    [Fact]
    public void Change_replication_source_from_8_0_23()
    {
        var settings = new ReplicationSourceSettings("db-primary", 3307, "repl", "pw") { HeartbeatIntervalSeconds = 30, ConnectRetrySeconds = 5 };
        const string expected = "CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'db-primary', SOURCE_PORT = 3307, SOURCE_USER = 'repl', "
            + "SOURCE_PASSWORD = 'pw', SOURCE_CONNECT_RETRY = 5, SOURCE_HEARTBEAT_PERIOD = 30, SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1";

        Assert.Equal([expected], MySql80.SetReplicationSource(settings));
        Assert.Equal([expected], MySql84.SetReplicationSource(settings));
    }

    [Fact]
    public void Change_master_before_8_0_23()
    {
        var statements = MySql8020.SetReplicationSource(new ReplicationSourceSettings("h", 3306, "u", "p") { AutoPosition = false, HeartbeatIntervalSeconds = 0.25 });

        Assert.Equal(
            ["CHANGE MASTER TO MASTER_HOST = 'h', MASTER_PORT = 3306, MASTER_USER = 'u', MASTER_PASSWORD = 'p', "
                + "MASTER_HEARTBEAT_PERIOD = 0.25, MASTER_AUTO_POSITION = 0, GET_MASTER_PUBLIC_KEY = 1"],
            statements);
    }

    [Fact]
    public void Change_replication_source_escapes_hostile_values()
    {
        var statements = MySql84.SetReplicationSource(new ReplicationSourceSettings("h", 1, "a'b", "c\\d'; --"));

        Assert.Equal(
            ["CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'h', SOURCE_PORT = 1, SOURCE_USER = 'a\\'b', SOURCE_PASSWORD = 'c\\\\d\\'; --', "
                + "SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1"],
            statements);
    }

    [Fact]
    public void Set_replication_position_sets_gtid_purged_after_resetting()
    {
        Assert.Equal(["RESET MASTER", "SET GLOBAL gtid_purged = '" + FlavorSamples.MySqlUuidA + ":1-5'"],
            MySql80.SetReplicationPosition(ReplicationPosition.Parse(Set)));
        Assert.Equal(["RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = '" + FlavorSamples.MySqlUuidA + ":1-5'"],
            MySql84.SetReplicationPosition(ReplicationPosition.Parse(Set)));
        Assert.Throws<ArgumentException>(() => MySql80.SetReplicationPosition(ReplicationPosition.Parse("MariaDB/0-1-1")));
    }

    [Fact]
    public void Status_queries_follow_the_version()
    {
        Assert.Equal("SHOW SLAVE STATUS", MySql8020.ReplicationStatusQuery);
        Assert.Equal("SHOW REPLICA STATUS", MySql80.ReplicationStatusQuery);
        Assert.Equal("SHOW REPLICA STATUS", MySql84.ReplicationStatusQuery);
        Assert.Equal("SHOW MASTER STATUS", MySql80.PrimaryStatusQuery);
        Assert.Equal("SHOW BINARY LOG STATUS", MySql84.PrimaryStatusQuery);
        Assert.All([MySql8020, MySql80, MySql84], f => Assert.Equal("SELECT @@GLOBAL.gtid_executed", f.CurrentPositionQuery));
        Assert.Equal("SELECT @@GLOBAL.read_only AS read_only, @@GLOBAL.super_read_only AS super_read_only", MySql84.ReadOnlyQuery);
        Assert.Equal("SELECT HEARTBEAT_INTERVAL FROM performance_schema.replication_connection_configuration WHERE CHANNEL_NAME = ''",
            MySql80.HeartbeatIntervalQuery);
    }

    [Fact]
    public void Full_status_queries_name_old_and_new_variable_spellings()
    {
        Assert.Equal(
            "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('server_id', 'server_uuid', 'gtid_purged', 'version', 'version_comment', "
            + "'read_only', 'super_read_only', 'gtid_mode', 'binlog_format', 'binlog_row_image', 'log_bin', 'log_replica_updates', "
            + "'log_slave_updates', 'replica_net_timeout', 'slave_net_timeout', 'rpl_semi_sync_source_enabled', "
            + "'rpl_semi_sync_replica_enabled', 'rpl_semi_sync_source_timeout', 'rpl_semi_sync_source_wait_for_replica_count', "
            + "'rpl_semi_sync_master_enabled', 'rpl_semi_sync_slave_enabled', 'rpl_semi_sync_master_timeout', "
            + "'rpl_semi_sync_master_wait_for_slave_count')",
            MySql80.FullStatusVariablesQuery);
        Assert.Equal(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Rpl_semi_sync_source_status', 'Rpl_semi_sync_replica_status', "
            + "'Rpl_semi_sync_source_clients', 'Rpl_semi_sync_source_wait_sessions', 'Rpl_semi_sync_source_yes_tx', 'Rpl_semi_sync_master_status', "
            + "'Rpl_semi_sync_slave_status', 'Rpl_semi_sync_master_clients', 'Rpl_semi_sync_master_wait_sessions', 'Rpl_semi_sync_master_yes_tx')",
            MySql84.FullStatusStatusQuery);
    }

    [Fact]
    public void Semi_sync_plugins_are_checked_and_installed_with_the_version_names()
    {
        Assert.Equal("SELECT PLUGIN_NAME FROM information_schema.PLUGINS WHERE PLUGIN_NAME IN ('rpl_semi_sync_source', 'rpl_semi_sync_replica')",
            MySql84.SemiSyncPluginQuery);
        Assert.Equal("SELECT PLUGIN_NAME FROM information_schema.PLUGINS WHERE PLUGIN_NAME IN ('rpl_semi_sync_master', 'rpl_semi_sync_slave')",
            MySql8020.SemiSyncPluginQuery);
        Assert.Equal(
            ["INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so'", "INSTALL PLUGIN rpl_semi_sync_replica SONAME 'semisync_replica.so'"],
            MySql80.InstallSemiSyncPlugins([]));
        Assert.Equal(["INSTALL PLUGIN rpl_semi_sync_replica SONAME 'semisync_replica.so'"], MySql84.InstallSemiSyncPlugins(["RPL_SEMI_SYNC_SOURCE"]));
        Assert.Empty(MySql84.InstallSemiSyncPlugins(["rpl_semi_sync_source", "rpl_semi_sync_replica"]));
        Assert.Equal(
            ["INSTALL PLUGIN rpl_semi_sync_master SONAME 'semisync_master.so'", "INSTALL PLUGIN rpl_semi_sync_slave SONAME 'semisync_slave.so'"],
            MySql8020.InstallSemiSyncPlugins([]));
    }

    [Fact]
    public void Semi_sync_sets_source_and_replica_flags()
    {
        Assert.Equal(["SET GLOBAL rpl_semi_sync_source_timeout = 1000000000000000000", "SET GLOBAL rpl_semi_sync_source_wait_no_replica = ON",
            "SET GLOBAL rpl_semi_sync_source_enabled = ON", "SET GLOBAL rpl_semi_sync_replica_enabled = OFF"], MySql84.SetSemiSync(true, false));
        Assert.Equal(["SET GLOBAL rpl_semi_sync_source_enabled = OFF", "SET GLOBAL rpl_semi_sync_replica_enabled = ON"], MySql80.SetSemiSync(false, true));
        Assert.Equal(["SET GLOBAL rpl_semi_sync_master_timeout = 1000000000000000000", "SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON",
            "SET GLOBAL rpl_semi_sync_master_enabled = ON", "SET GLOBAL rpl_semi_sync_slave_enabled = ON"], MySql8020.SetSemiSync(true, true));
    }

    [Fact]
    public void Read_only_uses_super_read_only()
    {
        Assert.Equal(["SET GLOBAL super_read_only = ON"], MySql80.SetReadOnly(true, true));
        Assert.Equal(["SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = ON"], MySql80.SetReadOnly(true, false));
        Assert.Equal(["SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF"], MySql84.SetReadOnly(false, true));
        Assert.Equal(["SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF"], MySql84.SetReadOnly(false, false));
    }

    [Fact]
    public void Wait_for_gtids_uses_wait_for_executed_gtid_set()
    {
        var wait = MySql84.WaitForPosition(ReplicationPosition.Parse(Set), TimeSpan.FromSeconds(30));

        Assert.Equal("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + FlavorSamples.MySqlUuidA + ":1-5', 30)", wait.Sql);
        Assert.Equal(PositionWaitKind.MySqlGtid, wait.Kind);
    }

    [Fact]
    public void Wait_for_a_file_position_uses_source_pos_wait_from_8_0_26()
    {
        var position = ReplicationPosition.Parse("FilePos/binlog.000012:9876");

        Assert.Equal("SELECT SOURCE_POS_WAIT('binlog.000012', 9876, 3)", MySql80.WaitForPosition(position, TimeSpan.FromSeconds(2.1)).Sql);
        Assert.Equal("SELECT MASTER_POS_WAIT('binlog.000012', 9876, 3)", MySql8020.WaitForPosition(position, TimeSpan.FromSeconds(2.1)).Sql);
    }

    [Fact]
    public void Wait_rejects_a_mariadb_position()
    {
        var error = Assert.Throws<ArgumentException>(() => MySql80.WaitForPosition(ReplicationPosition.Parse("MariaDB/0-1-5"), TimeSpan.FromSeconds(1)));
        Assert.Contains("MariaDB/0-1-5", error.Message, StringComparison.Ordinal);
    }
}
