using Replicationdata;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Protocol;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>FullStatus → observation mapping and poll bookkeeping (ReadTopologyInstanceBufferable in
/// go/vt/vtorc/inst/instance_dao.go).</summary>
public sealed class InstanceObservationTests
{
    private static readonly Tablet Tablet = new()
    {
        Alias = new TabletAlias { Cell = "zone1", Uid = 101 },
        Keyspace = "ks",
        Shard = "0",
        Type = TabletType.Replica,
        MysqlHostname = "db-101",
        MysqlPort = 3307,
    };

    [Fact]
    public void The_self_reported_type_and_shard_peer_reports_of_Vitess_main_are_read()
    {
        var status = new FullStatus { TabletType = TabletType.Rdonly };
        status.ShardPeerHealth.Add(new ShardPeerHealth
        {
            TabletAlias = new TabletAlias { Cell = "zone1", Uid = 100 },
            ConsecutivePingFailures = 4,
            LastAttemptedPing = new Vttime.Time { Seconds = ShardScenario.Now.ToUnixTimeSeconds() - 2 },
            TimeSinceLastAttemptedPing = new Vttime.Duration { Seconds = 1, Nanos = 500_000_000 },
        });
        status.ShardPeerHealth.Add(new ShardPeerHealth { ConsecutivePingFailures = 9 }); // no alias: ignored

        var observation = InstanceObservation.FromFullStatus(status, Tablet, ShardScenario.Now);

        Assert.Equal(TabletType.Rdonly, observation.SelfReportedType);
        var report = Assert.Single(observation.ShardPeerHealth);
        Assert.Equal(new ShardPeerReport("zone1-0000000100", 4, ShardScenario.Now.AddSeconds(-2), TimeSpan.FromSeconds(1.5)), report);
        Assert.Empty(InstanceObservation.FromFullStatus(new FullStatus(), Tablet, ShardScenario.Now).ShardPeerHealth);
    }

    [Fact]
    public void A_replica_status_maps_to_observed_fields()
    {
        var status = new FullStatus
        {
            ServerId = 101,
            ServerUuid = "22222222-2222-2222-2222-222222222222",
            Version = "8.0.40-log",
            ReadOnly = true,
            LogBinEnabled = true,
            BinlogFormat = "ROW",
            GtidMode = "ON",
            TabletType = TabletType.Replica,
            SemiSyncReplicaEnabled = true,
            SemiSyncWaitForReplicaCount = 1,
            PrimaryStatus = new PrimaryStatus { Position = "MySQL56/11111111-1111-1111-1111-111111111111:1-5", FilePosition = "FilePos/binlog.000003:1234" },
            ReplicationConfiguration = new Configuration { ReplicaNetTimeout = 60, HeartbeatInterval = 30 },
            ReplicationStatus = new Status
            {
                SourceHost = "db-100",
                SourcePort = 3306,
                SourceUuid = "11111111-1111-1111-1111-111111111111",
                SourceUser = "vt_repl",
                IoState = 3,
                SqlState = 1,
                ReplicationLagSeconds = 4,
                SqlDelay = 0,
                AutoPosition = true,
            },
        };
        var observation = InstanceObservation.FromFullStatus(status, Tablet, ShardScenario.Now);
        Assert.Equal("zone1-0000000101", observation.Alias);
        Assert.Equal("db-101", observation.Hostname);
        Assert.Equal(3307, observation.Port);
        Assert.Equal("8.0", observation.MajorVersion);
        Assert.Equal(ReplicationThreadState.Running, observation.ReplicationIoThreadState);
        Assert.Equal(ReplicationThreadState.Stopped, observation.ReplicationSqlThreadState);
        Assert.True(observation.ReplicationIoThreadRunning);
        Assert.False(observation.ReplicationSqlThreadRunning);
        Assert.Equal(4, observation.ReplicationLagSeconds);
        Assert.True(observation.HasReplicationCredentials);
        Assert.True(observation.UsingAutoPosition);
        Assert.False(observation.ReplicatesFromNobody);
        Assert.Equal(new BinlogCoordinates("binlog.000003", 1234, 0), observation.SelfBinlogCoordinates);
        Assert.Equal(60, observation.ReplicaNetTimeout);
        Assert.Equal(30, observation.HeartbeatInterval);
        Assert.Equal(ShardScenario.Now, observation.LastSeen);
        Assert.True(observation.IsLastCheckValid(5));
    }

    [Fact]
    public void Unknown_lag_is_null_and_a_server_without_replication_has_no_threads()
    {
        var replica = InstanceObservation.FromFullStatus(
            new FullStatus { ReplicationStatus = new Status { SourceHost = "db-100", SourcePort = 3306, ReplicationLagUnknown = true, ReplicationLagSeconds = 9 } },
            Tablet, ShardScenario.Now);
        Assert.Null(replica.ReplicationLagSeconds);

        var primary = InstanceObservation.FromFullStatus(new FullStatus(), Tablet, ShardScenario.Now);
        Assert.True(primary.ReplicatesFromNobody);
        Assert.Equal(ReplicationThreadState.NoThread, primary.ReplicationIoThreadState);
        Assert.Null(primary.ReplicationLagSeconds);
    }

    [Fact]
    public void A_failed_check_keeps_last_seen_and_the_observed_values()
    {
        var observation = InstanceObservation.FromFullStatus(new FullStatus { ReadOnly = true }, Tablet, ShardScenario.Now);
        var failed = observation.WithFailedCheck(ShardScenario.Now.AddSeconds(5), partialSuccess: false, diskStalled: true);
        Assert.Equal(ShardScenario.Now, failed.LastSeen);
        Assert.True(failed.ReadOnly);
        Assert.True(failed.IsDiskStalled);
        Assert.False(failed.LastCheckPartialSuccess);
        Assert.False(failed.LastCheckSucceeded);
        Assert.False(failed.IsLastCheckValid(5));
    }

    [Fact]
    public void Zero_times_are_go_zero_times()
    {
        Assert.Equal(default, VtTime.ToDateTimeOffsetOrZero(null));
        Assert.Equal(DateTimeOffset.UnixEpoch, VtTime.ToDateTimeOffsetOrZero(new Vttime.Time()));
        Assert.Equal(5, WholeSeconds.Of(TimeSpan.FromMilliseconds(5999)));
    }
}
