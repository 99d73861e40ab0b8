using Vtorc.Agent.Flavors;
using static Vtorc.Agent.Tests.Flavors.FlavorSamples;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>What the agent compares between samples to tell whether the replica heard from its source.</summary>
public sealed class SourceContactMarkerTests
{
    private static readonly IReplicationFlavor MariaDb = ReplicationFlavors.For("10.11.19-MariaDB-0+deb12u1-log", "Debian 12");

    private static Dictionary<string, string?> Row(string heartbeats = "12", string readPos = "1547", string ioPos = "0-101-42", string io = "Yes")
    {
        var row = MariaDbRunning();
        row["Slave_received_heartbeats"] = heartbeats;
        row["Read_Master_Log_Pos"] = readPos;
        row["Gtid_IO_Pos"] = ioPos;
        row["Slave_IO_Running"] = io;
        return row;
    }

    [Fact]
    public void MariaDb_marker_changes_with_a_heartbeat_an_event_or_a_received_gtid()
    {
        var quiet = MariaDb.SourceContactMarker(Rows(Row()));
        Assert.NotNull(quiet);
        Assert.Equal(quiet, MariaDb.SourceContactMarker(Rows(Row())));
        Assert.NotEqual(quiet, MariaDb.SourceContactMarker(Rows(Row(heartbeats: "13"))));
        Assert.NotEqual(quiet, MariaDb.SourceContactMarker(Rows(Row(readPos: "1800"))));
        Assert.NotEqual(quiet, MariaDb.SourceContactMarker(Rows(Row(ioPos: "0-101-43"))));
    }

    [Fact]
    public void MariaDb_has_no_marker_when_the_io_thread_does_not_run_or_no_heartbeat_count_is_reported()
    {
        Assert.Null(MariaDb.SourceContactMarker(Rows(Row(io: "Connecting"))));
        Assert.Null(MariaDb.SourceContactMarker(Rows(MariaDbRunning())));
        Assert.Null(MariaDb.SourceContactMarker(Rows()));
    }

    [Fact]
    public void MySql_reports_no_marker()
    {
        var mysql = ReplicationFlavors.For("8.4.3", "MySQL Community Server - GPL");
        Assert.Null(mysql.SourceContactMarker(Rows(MySqlReplicaRunning())));
    }

    [Fact]
    public void Net_timeout_statements_and_heartbeat_choice()
    {
        Assert.Equal(["SET GLOBAL slave_net_timeout = 4"], MariaDb.SetReplicaNetTimeout(ReplicationTimeouts.NetTimeoutSeconds));
        Assert.Equal(["SET GLOBAL replica_net_timeout = 4"], ReplicationFlavors.For("8.4.3", "MySQL").SetReplicaNetTimeout(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MariaDb.SetReplicaNetTimeout(0));
        Assert.Equal(2.0, ReplicationTimeouts.HeartbeatFor(0));
        Assert.Equal(2.0, ReplicationTimeouts.HeartbeatFor(30));
        Assert.Equal(1.5, ReplicationTimeouts.HeartbeatFor(1.5));
    }
}
