using Vtorc.Agent.Flavors;
using Vtorc.Replication;
using static Vtorc.Agent.Tests.Flavors.FlavorSamples;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>MariaDB rows → Status, PrimaryStatus, positions and FullStatus.</summary>
public sealed class MariaDbStatusParserTests
{
    private static readonly IReplicationFlavor Flavor = ReplicationFlavors.For("10.11.19-MariaDB-0+deb12u1-log", "Debian 12");

    [Fact]
    public void Running_replica_row_becomes_a_complete_status()
    {
        var status = Flavor.ParseReplicationStatus(Rows(MariaDbRunning()))!;

        Assert.Equal("MariaDB/0-101-40,1-7-3", status.Position);
        Assert.Equal("", status.RelayLogPosition);
        Assert.Equal("FilePos/mysql-bin.000003:1200", status.FilePosition);
        Assert.Equal("FilePos/mysql-bin.000003:1547", status.RelayLogSourceBinlogEquivalentPosition);
        Assert.Equal("FilePos/relay-bin.000002:901", status.RelayLogFilePosition);
        Assert.Equal(7u, status.ReplicationLagSeconds);
        Assert.False(status.ReplicationLagUnknown);
        Assert.Equal("10.0.0.5", status.SourceHost);
        Assert.Equal(3306, status.SourcePort);
        Assert.Equal(10, status.ConnectRetry);
        Assert.Equal(101u, status.SourceServerId);
        Assert.Equal("", status.SourceUuid);
        Assert.Equal("vt_repl", status.SourceUser);
        Assert.Equal(ReplicationThreadState.Running, status.IoState);
        Assert.Equal(ReplicationThreadState.Running, status.SqlState);
        Assert.Equal("", status.LastIoError);
        Assert.Equal("", status.LastSqlError);
        Assert.Equal(0u, status.SqlDelay);
        Assert.False(status.AutoPosition);
        Assert.True(status.UsingGtid);
        Assert.False(status.HasReplicationFilters);
        Assert.False(status.SslAllowed);
    }

    [Fact]
    public void Connecting_io_thread_with_null_lag_and_no_source_file()
    {
        var row = MariaDbRunning();
        row["Slave_IO_Running"] = "Connecting";
        row["Seconds_Behind_Master"] = null;
        row["Master_Log_File"] = "";
        row["Relay_Master_Log_File"] = "";
        row["Last_IO_Error"] = "error connecting to master 'r@127.0.0.1:1' - retry-time: 1";
        row["Gtid_Slave_Pos"] = "";
        row["Master_Server_Id"] = "0";

        var status = Flavor.ParseReplicationStatus(Rows(row))!;

        Assert.Equal(ReplicationThreadState.Connecting, status.IoState);
        Assert.Equal(ReplicationThreadState.Running, status.SqlState);
        Assert.True(status.ReplicationLagUnknown);
        Assert.Equal(0u, status.ReplicationLagSeconds);
        Assert.Equal("", status.FilePosition);
        Assert.Equal("", status.RelayLogSourceBinlogEquivalentPosition);
        Assert.Equal("MariaDB/", status.Position);
        Assert.StartsWith("error connecting to master", status.LastIoError, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopped_threads_errors_delay_filters_ssl_and_gtid_off()
    {
        var row = MariaDbRunning();
        row["Slave_IO_Running"] = "No";
        row["Slave_SQL_Running"] = "No";
        row["Last_SQL_Error"] = "Duplicate entry '1' for key 'PRIMARY'";
        row["SQL_Delay"] = "3600";
        row["Replicate_Ignore_Domain_Ids"] = "2";
        row["Master_SSL_Allowed"] = "Yes";
        row["Using_Gtid"] = "No";

        var status = Flavor.ParseReplicationStatus(Rows(row))!;

        Assert.Equal(ReplicationThreadState.Stopped, status.IoState);
        Assert.Equal(ReplicationThreadState.Stopped, status.SqlState);
        Assert.Equal("Duplicate entry '1' for key 'PRIMARY'", status.LastSqlError);
        Assert.Equal(3600u, status.SqlDelay);
        Assert.True(status.HasReplicationFilters);
        Assert.True(status.SslAllowed);
        Assert.False(status.UsingGtid);
    }

    [Fact]
    public void No_rows_means_not_a_replica()
    {
        Assert.Null(Flavor.ParseReplicationStatus([]));
    }

    [Fact]
    public void Only_the_default_connection_counts()
    {
        var named = MariaDbRunning();
        named["Connection_name"] = "other";

        Assert.Null(Flavor.ParseReplicationStatus(Rows(named)));

        var both = Flavor.ParseReplicationStatus(Rows(named, MariaDbRunning()))!;
        Assert.Equal("10.0.0.5", both.SourceHost);
    }

    [Fact]
    public void Unparsable_values_name_the_column()
    {
        var row = MariaDbRunning();
        row["Master_Port"] = "33o6";
        var error = Assert.Throws<FormatException>(() => Flavor.ParseReplicationStatus(Rows(row)));
        Assert.Contains("Master_Port", error.Message, StringComparison.Ordinal);
        Assert.Contains("33o6", error.Message, StringComparison.Ordinal);

        row = MariaDbRunning();
        row["Gtid_Slave_Pos"] = "0-1";
        error = Assert.Throws<FormatException>(() => Flavor.ParseReplicationStatus(Rows(row)));
        Assert.Contains("Gtid_Slave_Pos", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Primary_status_combines_binlog_coordinates_and_gtid_binlog_pos()
    {
        var row = RowValues.From(new Dictionary<string, string?> { ["File"] = "mysql-bin.000001", ["Position"] = "328", ["Binlog_Do_DB"] = "", ["Binlog_Ignore_DB"] = "" });

        var status = Flavor.ParsePrimaryStatus(row, "0-7-12", "")!;

        Assert.Equal("MariaDB/0-7-12", status.Position);
        Assert.Equal("FilePos/mysql-bin.000001:328", status.FilePosition);
        Assert.Equal("", status.ServerUuid);
        Assert.Null(Flavor.ParsePrimaryStatus(null, "0-7-12", ""));
    }

    [Fact]
    public void Current_position_is_a_mariadb_position_and_null_is_empty()
    {
        Assert.Equal(ReplicationPosition.Parse("MariaDB/0-7-12,1-3-4"), Flavor.ParseCurrentPosition("1-3-4,0-7-12"));
        Assert.Equal("MariaDB/", Flavor.ParseCurrentPosition(null).ToString());
        Assert.Equal("MariaDB/", Flavor.ParseCurrentPosition("").ToString());
    }

    [Fact]
    public void Full_status_fills_every_field_vtorc_reads()
    {
        var variables = Values(
            ("server_id", "7"), ("version", "10.11.19-MariaDB-0+deb12u1-log"), ("version_comment", "Debian 12"), ("read_only", "ON"),
            ("binlog_format", "ROW"), ("binlog_row_image", "FULL"), ("log_bin", "ON"), ("log_slave_updates", "ON"),
            ("gtid_strict_mode", "ON"), ("slave_net_timeout", "60"), ("rpl_semi_sync_master_enabled", "ON"),
            ("rpl_semi_sync_slave_enabled", "OFF"), ("rpl_semi_sync_master_timeout", "10000"));
        var status = Values(
            ("Rpl_semi_sync_master_status", "ON"), ("Rpl_semi_sync_slave_status", "OFF"), ("Rpl_semi_sync_master_clients", "2"),
            ("Slave_heartbeat_period", "30.000"));
        var replication = Flavor.ParseReplicationStatus(Rows(MariaDbRunning()));
        var primary = Flavor.ParsePrimaryStatus(RowValues.From(new Dictionary<string, string?> { ["File"] = "b.000001", ["Position"] = "4" }), "0-7-1", "");

        var full = Flavor.BuildFullStatus(new FullStatusInputs(variables, status, replication, primary));

        Assert.Equal(7u, full.ServerId);
        Assert.Equal("", full.ServerUuid);
        Assert.Equal("", full.GtidPurged);
        Assert.Equal("", full.GtidMode);
        Assert.Equal("10.11.19", full.Version);
        Assert.Equal("Debian 12", full.VersionComment);
        Assert.True(full.ReadOnly);
        Assert.False(full.SuperReadOnly);
        Assert.Equal("ROW", full.BinlogFormat);
        Assert.Equal("FULL", full.BinlogRowImage);
        Assert.True(full.LogBinEnabled);
        Assert.True(full.LogReplicaUpdates);
        Assert.True(full.SemiSyncPrimaryEnabled);
        Assert.False(full.SemiSyncReplicaEnabled);
        Assert.True(full.SemiSyncPrimaryStatus);
        Assert.False(full.SemiSyncReplicaStatus);
        Assert.Equal(2u, full.SemiSyncPrimaryClients);
        Assert.Equal(10000ul, full.SemiSyncPrimaryTimeout);
        Assert.Equal(1u, full.SemiSyncWaitForReplicaCount);
        Assert.Equal(30.0, full.ReplicationConfiguration.HeartbeatInterval);
        Assert.Equal(60, full.ReplicationConfiguration.ReplicaNetTimeout);
        Assert.Same(replication, full.ReplicationStatus);
        Assert.Same(primary, full.PrimaryStatus);
    }

    [Fact]
    public void Full_status_of_a_primary_without_binlog_has_neither_sub_status()
    {
        var full = Flavor.BuildFullStatus(new FullStatusInputs(Values(("server_id", "1"), ("log_bin", "OFF")), Values(), null, null));

        Assert.Null(full.ReplicationStatus);
        Assert.Null(full.PrimaryStatus);
        Assert.False(full.LogBinEnabled);
        Assert.Equal("", full.Version);
    }

    [Fact]
    public void Semi_sync_state_is_copied_into_status_fields_26_to_29()
    {
        var state = Flavor.ParseSemiSync(
            Values(("rpl_semi_sync_master_enabled", "OFF"), ("rpl_semi_sync_slave_enabled", "ON")),
            Values(("Rpl_semi_sync_slave_status", "ON")));
        var status = new Replicationdata.Status();

        state.ApplyTo(status);

        Assert.False(status.SemiSyncPrimaryEnabled);
        Assert.True(status.SemiSyncReplicaEnabled);
        Assert.False(status.SemiSyncPrimaryStatus);
        Assert.True(status.SemiSyncReplicaStatus);
    }

    [Fact]
    public void Semi_sync_wait_sessions_and_acknowledged_commits_are_read_and_FullStatus_leaves_blocked_to_the_agent()
    {
        var variables = Values(("rpl_semi_sync_master_enabled", "ON"));
        var status = Values(("Rpl_semi_sync_master_wait_sessions", "3"), ("Rpl_semi_sync_master_yes_tx", "1234"));

        var state = Flavor.ParseSemiSync(variables, status);
        var full = Flavor.BuildFullStatus(new FullStatusInputs(variables, status, null, null));

        Assert.Equal(3u, state.PrimaryWaitSessions);
        Assert.Equal(1234ul, state.PrimaryAckedTransactions);
        Assert.False(full.SemiSyncBlocked);
    }
}
