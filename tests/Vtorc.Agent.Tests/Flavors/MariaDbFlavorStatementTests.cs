using Vtorc.Agent.Flavors;
using Vtorc.Replication;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>The exact SQL text of every MariaDB statement.</summary>
public sealed class MariaDbFlavorStatementTests
{
    private static readonly IReplicationFlavor Flavor = ReplicationFlavors.For("10.11.19-MariaDB-0+deb12u1-log", "Debian 12");

    [Fact]
    public void Identity_is_MariaDB_with_MariaDB_positions_and_no_super_read_only()
    {
        Assert.Equal("MariaDB", Flavor.Name);
        Assert.Equal(PositionFlavor.MariaDb, Flavor.PositionFlavor);
        Assert.False(Flavor.SupportsSuperReadOnly);
        Assert.Equal("10.11.19", Flavor.Server.Version);
    }

    [Fact]
    public void Thread_control_uses_slave_words()
    {
        Assert.Equal(["STOP SLAVE"], Flavor.StopReplication());
        Assert.Equal(["STOP SLAVE IO_THREAD"], Flavor.StopIoThread());
        Assert.Equal(["START SLAVE"], Flavor.StartReplication());
        Assert.Equal(["START SLAVE SQL_THREAD"], Flavor.StartSqlThread());
    }

    [Fact]
    public void Reset_replication_forgets_the_source_but_keeps_gtid_state()
    {
        Assert.Equal(["STOP SLAVE", "RESET SLAVE ALL"], Flavor.ResetReplication());
        Assert.Equal(["STOP SLAVE", "RESET SLAVE ALL"], Flavor.ResetReplicationParameters());
    }

    [Fact]
    public void Change_master_names_every_setting_and_uses_current_pos()
    {
        var statements = Flavor.SetReplicationSource(new ReplicationSourceSettings("10.0.0.5", 3306, "vt_repl", "secret")
        {
            HeartbeatIntervalSeconds = 2.5,
            ConnectRetrySeconds = 10,
        });

        Assert.Equal(
            ["CHANGE MASTER TO MASTER_HOST = '10.0.0.5', MASTER_PORT = 3306, MASTER_USER = 'vt_repl', MASTER_PASSWORD = 'secret', "
                + "MASTER_CONNECT_RETRY = 10, MASTER_HEARTBEAT_PERIOD = 2.5, MASTER_USE_GTID = current_pos"],
            statements);
    }

    [Fact]
    public void Change_master_leaves_out_zero_heartbeat_and_retry_and_can_turn_gtid_off()
    {
        var statements = Flavor.SetReplicationSource(new ReplicationSourceSettings("h", 1, "u", "p") { AutoPosition = false });

        Assert.Equal(["CHANGE MASTER TO MASTER_HOST = 'h', MASTER_PORT = 1, MASTER_USER = 'u', MASTER_PASSWORD = 'p', MASTER_USE_GTID = no"],
            statements);
    }

    [Fact]
    public void Change_master_escapes_quotes_and_backslashes_in_every_value()
    {
        var statements = Flavor.SetReplicationSource(new ReplicationSourceSettings("h'; DROP TABLE t; --", 3306, "u\\'", "p\"w\\\n"));

        Assert.Equal(
            ["CHANGE MASTER TO MASTER_HOST = 'h\\'; DROP TABLE t; --', MASTER_PORT = 3306, MASTER_USER = 'u\\\\\\'', "
                + "MASTER_PASSWORD = 'p\\\"w\\\\\\n', MASTER_USE_GTID = current_pos"],
            statements);
    }

    [Fact]
    public void Change_master_uses_the_quoter_it_was_given()
    {
        var flavor = ReplicationFlavors.For("10.11.19-MariaDB", "", value => "<" + value + ">");

        Assert.Equal(["CHANGE MASTER TO MASTER_HOST = <h>, MASTER_PORT = 2, MASTER_USER = <u>, MASTER_PASSWORD = <p>, MASTER_USE_GTID = current_pos"],
            flavor.SetReplicationSource(new ReplicationSourceSettings("h", 2, "u", "p")));
    }

    [Fact]
    public void Set_replication_position_resets_binlogs_and_sets_both_gtid_states()
    {
        Assert.Equal(
            ["RESET MASTER", "SET GLOBAL gtid_binlog_state = '0-1-100,1-2-50'", "SET GLOBAL gtid_slave_pos = '0-1-100,1-2-50'"],
            Flavor.SetReplicationPosition(ReplicationPosition.Parse("MariaDB/1-2-50,0-1-100")));
    }

    [Fact]
    public void Set_replication_position_rejects_a_mysql_position()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Flavor.SetReplicationPosition(ReplicationPosition.Parse("MySQL56/" + FlavorSamples.MySqlUuidA + ":1-5")));
        Assert.Contains(FlavorSamples.MySqlUuidA, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_and_position_queries()
    {
        Assert.Equal("SHOW ALL SLAVES STATUS", Flavor.ReplicationStatusQuery);
        // Read without the binary log's lock, which a commit waiting at AFTER_SYNC keeps busy.
        Assert.Contains("BINLOG_SNAPSHOT_POSITION", Flavor.PrimaryStatusQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("SHOW MASTER STATUS", Flavor.PrimaryStatusQuery, StringComparison.Ordinal);
        Assert.Equal("SELECT @@GLOBAL.gtid_binlog_pos", Flavor.CurrentPositionQuery);
        Assert.Equal("SELECT @@GLOBAL.read_only AS read_only", Flavor.ReadOnlyQuery);
        Assert.Null(Flavor.HeartbeatIntervalQuery);
    }

    [Fact]
    public void Full_status_queries_name_the_mariadb_variables()
    {
        Assert.Equal(
            "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('server_id', 'version', 'version_comment', 'read_only', 'binlog_format', "
            + "'binlog_row_image', 'log_bin', 'log_slave_updates', 'gtid_strict_mode', 'slave_net_timeout', 'gtid_binlog_state', 'rpl_semi_sync_master_enabled', "
            + "'rpl_semi_sync_slave_enabled', 'rpl_semi_sync_master_timeout')",
            Flavor.FullStatusVariablesQuery);
        Assert.Equal(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Rpl_semi_sync_master_status', 'Rpl_semi_sync_slave_status', "
            + "'Rpl_semi_sync_master_clients', 'Slave_heartbeat_period', 'Rpl_semi_sync_master_wait_sessions', 'Rpl_semi_sync_master_yes_tx')",
            Flavor.FullStatusStatusQuery);
    }

    [Fact]
    public void Semi_sync_is_built_in_so_nothing_is_installed()
    {
        Assert.Null(Flavor.SemiSyncPluginQuery);
        Assert.Empty(Flavor.InstallSemiSyncPlugins([]));
    }

    [Theory]
    [InlineData(true, false, "ON", "OFF")]
    [InlineData(false, true, "OFF", "ON")]
    [InlineData(true, true, "ON", "ON")]
    [InlineData(false, false, "OFF", "OFF")]
    public void Semi_sync_sets_master_and_slave_flags(bool primary, bool replica, string primaryValue, string replicaValue)
    {
        string[] never = primary
            ? ["SET GLOBAL rpl_semi_sync_master_timeout = 1000000000000000000", "SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON",
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC"]
            : [];
        Assert.Equal(
            [.. never, "SET GLOBAL rpl_semi_sync_master_enabled = " + primaryValue, "SET GLOBAL rpl_semi_sync_slave_enabled = " + replicaValue],
            Flavor.SetSemiSync(primary, replica));
    }

    [Theory]
    [InlineData(true, true, "SET GLOBAL read_only = ON")]
    [InlineData(true, false, "SET GLOBAL read_only = ON")]
    [InlineData(false, true, "SET GLOBAL read_only = OFF")]
    [InlineData(false, false, "SET GLOBAL read_only = OFF")]
    public void Read_only_ignores_super_read_only(bool readOnly, bool superReadOnly, string expected)
    {
        Assert.Equal([expected], Flavor.SetReadOnly(readOnly, superReadOnly));
    }

    [Fact]
    public void Wait_for_a_gtid_position_uses_master_gtid_wait_with_fractional_seconds()
    {
        var wait = Flavor.WaitForPosition(ReplicationPosition.Parse("MariaDB/0-1-100"), TimeSpan.FromMilliseconds(2500));

        Assert.Equal("SELECT MASTER_GTID_WAIT('0-1-100', 2.5)", wait.Sql);
        Assert.Equal(PositionWaitKind.MariaDbGtid, wait.Kind);
    }

    [Fact]
    public void Wait_for_a_file_position_uses_master_pos_wait_with_whole_seconds_rounded_up()
    {
        var wait = Flavor.WaitForPosition(ReplicationPosition.Parse("FilePos/mysql-bin.000003:1547"), TimeSpan.FromMilliseconds(200));

        Assert.Equal("SELECT MASTER_POS_WAIT('mysql-bin.000003', 1547, 1)", wait.Sql);
        Assert.Equal(PositionWaitKind.FilePosition, wait.Kind);
    }

    [Fact]
    public void Wait_rejects_empty_and_mysql_positions_and_non_positive_timeouts()
    {
        Assert.Throws<ArgumentException>(() => Flavor.WaitForPosition(ReplicationPosition.Empty, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentException>(() =>
            Flavor.WaitForPosition(ReplicationPosition.Parse("MySQL56/" + FlavorSamples.MySqlUuidA + ":1"), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Flavor.WaitForPosition(ReplicationPosition.Parse("MariaDB/0-1-1"), TimeSpan.Zero));
    }
}
