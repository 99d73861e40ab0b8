using Vtorc.Agent.Flavors;
using Vtorc.Replication;
using static Vtorc.Agent.Tests.Flavors.FlavorSamples;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>MySQL 8.0 / 8.4 rows → Status, PrimaryStatus, positions and FullStatus.</summary>
public sealed class MySqlStatusParserTests
{
    private static readonly IReplicationFlavor MySql80 = ReplicationFlavors.For("8.0.36", "MySQL Community Server - GPL");
    private static readonly IReplicationFlavor MySql84 = ReplicationFlavors.For("8.4.3", "MySQL Community Server - GPL");

    [Theory]
    [InlineData("8.0.36")]
    [InlineData("8.4.3")]
    public void Replica_status_row_with_source_columns_becomes_a_complete_status(string version)
    {
        var flavor = ReplicationFlavors.For(version, "");

        var status = flavor.ParseReplicationStatus(Rows(MySqlReplicaRunning()))!;

        Assert.Equal($"MySQL56/{MySqlUuidA}:1-5,{MySqlUuidB}:1-10", status.Position);
        Assert.Equal($"MySQL56/{MySqlUuidA}:1-5,{MySqlUuidB}:1-12", status.RelayLogPosition);
        Assert.Equal("FilePos/binlog.000012:9000", status.FilePosition);
        Assert.Equal("FilePos/binlog.000012:9876", status.RelayLogSourceBinlogEquivalentPosition);
        Assert.Equal("FilePos/relay.000004:512", status.RelayLogFilePosition);
        Assert.Equal(0u, status.ReplicationLagSeconds);
        Assert.False(status.ReplicationLagUnknown);
        Assert.Equal("db-primary", status.SourceHost);
        Assert.Equal(3307, status.SourcePort);
        Assert.Equal(60, status.ConnectRetry);
        Assert.Equal(2u, status.SourceServerId);
        Assert.Equal(MySqlUuidB, status.SourceUuid);
        Assert.Equal("repl", status.SourceUser);
        Assert.Equal(ReplicationThreadState.Running, status.IoState);
        Assert.Equal(ReplicationThreadState.Running, status.SqlState);
        Assert.Equal(3600u, status.SqlDelay);
        Assert.True(status.AutoPosition);
        Assert.True(status.UsingGtid);
        Assert.False(status.HasReplicationFilters);
        Assert.True(status.SslAllowed);
    }

    [Fact]
    public void Slave_status_row_with_master_columns_parses_the_same_way()
    {
        var status = ReplicationFlavors.For("8.0.20", "").ParseReplicationStatus(Rows(MySqlSlaveRunning()))!;

        Assert.Equal($"MySQL56/{MySqlUuidA}:1-3", status.Position);
        Assert.Equal($"MySQL56/{MySqlUuidA}:1-3", status.RelayLogPosition);
        Assert.Equal("FilePos/binlog.000002:350", status.FilePosition);
        Assert.Equal("FilePos/binlog.000002:400", status.RelayLogSourceBinlogEquivalentPosition);
        Assert.Equal("old-primary", status.SourceHost);
        Assert.Equal(3306, status.SourcePort);
        Assert.Equal(1u, status.SourceServerId);
        Assert.Equal(MySqlUuidA, status.SourceUuid);
        Assert.Equal(ReplicationThreadState.Running, status.IoState);
        Assert.Equal(ReplicationThreadState.Stopped, status.SqlState);
        Assert.Equal("Error 'Duplicate entry' on query", status.LastSqlError);
        Assert.True(status.ReplicationLagUnknown);
        Assert.False(status.AutoPosition);
        Assert.False(status.UsingGtid);
    }

    [Fact]
    public void Connecting_io_thread_and_null_lag()
    {
        var row = MySqlReplicaRunning();
        row["Replica_IO_Running"] = "Connecting";
        row["Seconds_Behind_Source"] = null;

        var status = MySql84.ParseReplicationStatus(Rows(row))!;

        Assert.Equal(ReplicationThreadState.Connecting, status.IoState);
        Assert.True(status.ReplicationLagUnknown);
        Assert.Equal(0u, status.ReplicationLagSeconds);
    }

    [Fact]
    public void Filters_are_detected_in_any_filter_column()
    {
        var row = MySqlReplicaRunning();
        row["Replicate_Wild_Ignore_Table"] = "mysql.%";

        Assert.True(MySql80.ParseReplicationStatus(Rows(row))!.HasReplicationFilters);
    }

    [Fact]
    public void No_rows_or_only_named_channels_means_not_a_replica()
    {
        var named = MySqlReplicaRunning();
        named["Channel_Name"] = "group_replication_applier";

        Assert.Null(MySql80.ParseReplicationStatus([]));
        Assert.Null(MySql84.ParseReplicationStatus(Rows(named)));
    }

    [Fact]
    public void Primary_status_takes_the_executed_set_from_the_row_when_no_position_text_is_given()
    {
        var row = RowValues.From(new Dictionary<string, string?>
        {
            ["File"] = "binlog.000007", ["Position"] = "157", ["Executed_Gtid_Set"] = MySqlUuidA + ":1-9",
        });

        var fromRow = MySql84.ParsePrimaryStatus(row, null, MySqlUuidA)!;
        var fromText = MySql84.ParsePrimaryStatus(row, MySqlUuidA + ":1-10", MySqlUuidA)!;

        Assert.Equal($"MySQL56/{MySqlUuidA}:1-9", fromRow.Position);
        Assert.Equal($"MySQL56/{MySqlUuidA}:1-10", fromText.Position);
        Assert.Equal("FilePos/binlog.000007:157", fromRow.FilePosition);
        Assert.Equal(MySqlUuidA, fromRow.ServerUuid);
    }

    [Fact]
    public void Current_position_tolerates_newlines_and_sorts()
    {
        var position = MySql80.ParseCurrentPosition(MySqlUuidB + ":1-3,\n" + MySqlUuidA + ":1-5");

        Assert.Equal($"MySQL56/{MySqlUuidA}:1-5,{MySqlUuidB}:1-3", position.ToString());
        Assert.Equal(ReplicationPosition.Parse("MySQL56/"), MySql80.ParseCurrentPosition(""));
    }

    [Fact]
    public void Full_status_with_new_variable_names()
    {
        var variables = Values(
            ("server_id", "2"), ("server_uuid", MySqlUuidB), ("gtid_purged", MySqlUuidB + ":1-3"), ("version", "8.4.3"),
            ("version_comment", "MySQL Community Server - GPL"), ("read_only", "ON"), ("super_read_only", "ON"), ("gtid_mode", "ON"),
            ("binlog_format", "ROW"), ("binlog_row_image", "MINIMAL"), ("log_bin", "ON"), ("log_replica_updates", "ON"),
            ("replica_net_timeout", "8"), ("rpl_semi_sync_source_enabled", "OFF"), ("rpl_semi_sync_replica_enabled", "ON"),
            ("rpl_semi_sync_source_timeout", "1000000000000000000"), ("rpl_semi_sync_source_wait_for_replica_count", "2"));
        var status = Values(("Rpl_semi_sync_source_status", "OFF"), ("Rpl_semi_sync_replica_status", "ON"), ("Rpl_semi_sync_source_clients", "0"));

        var full = MySql84.BuildFullStatus(new FullStatusInputs(variables, status, null, null) { HeartbeatIntervalSeconds = 4 });

        Assert.Equal(2u, full.ServerId);
        Assert.Equal(MySqlUuidB, full.ServerUuid);
        Assert.Equal($"MySQL56/{MySqlUuidB}:1-3", full.GtidPurged);
        Assert.Equal("8.4.3", full.Version);
        Assert.True(full.ReadOnly);
        Assert.True(full.SuperReadOnly);
        Assert.Equal("ON", full.GtidMode);
        Assert.Equal("MINIMAL", full.BinlogRowImage);
        Assert.True(full.LogReplicaUpdates);
        Assert.False(full.SemiSyncPrimaryEnabled);
        Assert.True(full.SemiSyncReplicaEnabled);
        Assert.True(full.SemiSyncReplicaStatus);
        Assert.Equal(1000000000000000000ul, full.SemiSyncPrimaryTimeout);
        Assert.Equal(2u, full.SemiSyncWaitForReplicaCount);
        Assert.Equal(4.0, full.ReplicationConfiguration.HeartbeatInterval);
        Assert.Equal(8, full.ReplicationConfiguration.ReplicaNetTimeout);
    }

    [Fact]
    public void Full_status_with_old_variable_names()
    {
        var variables = Values(
            ("server_id", "1"), ("version", "8.0.20-log"), ("log_slave_updates", "ON"), ("slave_net_timeout", "60"),
            ("rpl_semi_sync_master_enabled", "ON"), ("rpl_semi_sync_slave_enabled", "OFF"), ("rpl_semi_sync_master_timeout", "10000"),
            ("rpl_semi_sync_master_wait_for_slave_count", "1"), ("gtid_purged", ""));
        var status = Values(("Rpl_semi_sync_master_status", "ON"), ("Rpl_semi_sync_master_clients", "3"));

        var full = MySql80.BuildFullStatus(new FullStatusInputs(variables, status, null, null));

        Assert.Equal("8.0.20", full.Version);
        Assert.Equal("MySQL56/", full.GtidPurged);
        Assert.True(full.LogReplicaUpdates);
        Assert.True(full.SemiSyncPrimaryEnabled);
        Assert.True(full.SemiSyncPrimaryStatus);
        Assert.Equal(3u, full.SemiSyncPrimaryClients);
        Assert.Equal(10000ul, full.SemiSyncPrimaryTimeout);
        Assert.Equal(1u, full.SemiSyncWaitForReplicaCount);
        Assert.Equal(60, full.ReplicationConfiguration.ReplicaNetTimeout);
        Assert.Equal(0.0, full.ReplicationConfiguration.HeartbeatInterval);
    }

    [Theory]
    [InlineData("8.4.3", "Rpl_semi_sync_source_wait_sessions", "Rpl_semi_sync_source_yes_tx")]
    [InlineData("8.0.36", "Rpl_semi_sync_source_wait_sessions", "Rpl_semi_sync_source_yes_tx")]
    [InlineData("8.0.20", "Rpl_semi_sync_master_wait_sessions", "Rpl_semi_sync_master_yes_tx")]
    public void Semi_sync_wait_sessions_and_acknowledged_commits_are_read_under_each_version_s_names(string version, string waitSessions, string yesTx)
    {
        var flavor = ReplicationFlavors.For(version, "");
        var enabled = Values(("rpl_semi_sync_source_enabled", "ON"), ("rpl_semi_sync_master_enabled", "ON"), ("gtid_purged", ""));
        var status = Values((waitSessions, "2"), (yesTx, "77"));

        var state = flavor.ParseSemiSync(enabled, status);

        Assert.Equal(2u, state.PrimaryWaitSessions);
        Assert.Equal(77ul, state.PrimaryAckedTransactions);
        // One sample cannot tell a slow acknowledgement from none: the agent's SemiSyncStallTracker decides.
        Assert.False(flavor.BuildFullStatus(new FullStatusInputs(enabled, status, null, null)).SemiSyncBlocked);
    }

    [Fact]
    public void A_wait_sessions_value_that_is_not_a_number_is_named_in_the_error()
    {
        var error = Assert.Throws<FormatException>(() => MySql84.ParseSemiSync(Values(), Values(("Rpl_semi_sync_source_wait_sessions", "many"))));

        Assert.Contains("Rpl_semi_sync_source_wait_sessions", error.Message);
        Assert.Contains("\"many\"", error.Message);
    }
}
