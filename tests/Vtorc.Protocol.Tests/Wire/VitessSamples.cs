using Google.Protobuf;

namespace Vtorc.Protocol.Tests.Wire;

/// <summary>
/// Messages with every field set to a value other than its proto3 default, so that every field is emitted.
/// Repeated fields get two elements and maps two entries.
/// </summary>
internal static class VitessSamples
{
    public static Vttime.Time Time(long seconds = 1_700_000_000) => new() { Seconds = seconds, Nanoseconds = 250_000_000 };

    public static Vttime.Duration Duration() => new() { Seconds = 3, Nanos = 500 };

    public static Topodata.TabletAlias Alias(uint uid = 101) => new() { Cell = "zone1", Uid = uid };

    public static Topodata.KeyRange KeyRange() => new()
    {
        Start = ByteString.CopyFrom(0x40),
        End = ByteString.CopyFrom(0x80),
    };

    public static Vtorcdata.Keyspace VtorcKeyspace() => new() { DisableEmergencyReparent = true };

    public static Vtorcdata.Shard VtorcShard() => new() { DisableEmergencyReparent = true };

    public static Topodata.Tablet Tablet() => new()
    {
        Alias = Alias(),
        Hostname = "tablet-101.example",
        PortMap = { ["vt"] = 15101, ["grpc"] = 16101 },
        Keyspace = "commerce",
        Shard = "40-80",
        KeyRange = KeyRange(),
        Type = Topodata.TabletType.Replica,
        DbNameOverride = "commerce_db",
        Tags = { ["rack"] = "r1", ["az"] = "a" },
        MysqlHostname = "db-101.example",
        MysqlPort = 17101,
        PrimaryTermStartTime = Time(),
        DefaultConnCollation = 255,
        TabletStartTime = Time(1_700_000_100),
        TabletShutdownTime = Time(1_700_000_200),
    };

    public static Topodata.Shard.Types.SourceShard SourceShard() => new()
    {
        Uid = 7,
        Keyspace = "source_ks",
        Shard = "-80",
        KeyRange = KeyRange(),
        Tables = { "t1", "t2" },
    };

    public static Topodata.Shard.Types.TabletControl TabletControl() => new()
    {
        TabletType = Topodata.TabletType.Rdonly,
        Cells = { "zone1", "zone2" },
        DeniedTables = { "t1", "t2" },
        Frozen = true,
        AllowReads = true,
    };

    public static Topodata.Shard Shard() => new()
    {
        PrimaryAlias = Alias(),
        KeyRange = KeyRange(),
        SourceShards = { SourceShard(), SourceShard() },
        TabletControls = { TabletControl(), TabletControl() },
        IsPrimaryServing = true,
        PrimaryTermStartTime = Time(),
        VtorcState = VtorcShard(),
    };

    public static Topodata.Keyspace Keyspace() => new()
    {
        KeyspaceType = Topodata.KeyspaceType.Snapshot,
        BaseKeyspace = "commerce",
        SnapshotTime = Time(),
        DurabilityPolicy = "semi_sync",
        ThrottlerConfig = new Topodata.ThrottlerConfig(),
        SidecarDbName = "_vt",
        VtorcState = VtorcKeyspace(),
    };

    public static Topodata.ShardReplication.Types.Node ReplicationNode(uint uid = 101) => new() { TabletAlias = Alias(uid) };

    public static Topodata.ShardReplication ShardReplication() => new() { Nodes = { ReplicationNode(101), ReplicationNode(102) } };

    public static Topodata.ShardReference ShardReference() => new() { Name = "40-80", KeyRange = KeyRange() };

    public static Topodata.ShardTabletControl ShardTabletControl() => new()
    {
        Name = "40-80",
        KeyRange = KeyRange(),
        QueryServiceDisabled = true,
    };

    public static Topodata.SrvKeyspace.Types.KeyspacePartition KeyspacePartition() => new()
    {
        ServedType = Topodata.TabletType.Primary,
        ShardReferences = { ShardReference(), ShardReference() },
        ShardTabletControls = { ShardTabletControl(), ShardTabletControl() },
    };

    public static Topodata.SrvKeyspace SrvKeyspace() => new()
    {
        Partitions = { KeyspacePartition(), KeyspacePartition() },
        ThrottlerConfig = new Topodata.ThrottlerConfig(),
    };

    public static Topodata.CellInfo CellInfo() => new() { ServerAddress = "127.0.0.1:2379", Root = "/vitess/zone1" };

    public static Topodata.CellsAlias CellsAlias() => new() { Cells = { "zone1", "zone2" } };

    public static Replicationdata.Status Status() => new()
    {
        Position = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
        ReplicationLagSeconds = 4,
        SourceHost = "db-100.example",
        SourcePort = 17100,
        ConnectRetry = 10,
        RelayLogPosition = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-6",
        FilePosition = "FilePos/binlog.000002:1234",
        RelayLogSourceBinlogEquivalentPosition = "FilePos/binlog.000002:1300",
        SourceServerId = 100,
        SourceUuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562",
        IoState = 3,
        LastIoError = "io error",
        SqlState = 1,
        LastSqlError = "sql error",
        RelayLogFilePosition = "FilePos/relay.000003:400",
        SourceUser = "vt_repl",
        SqlDelay = 30,
        AutoPosition = true,
        UsingGtid = true,
        HasReplicationFilters = true,
        SslAllowed = true,
        ReplicationLagUnknown = true,
        BackupRunning = true,
        SemiSyncPrimaryEnabled = true,
        SemiSyncReplicaEnabled = true,
        SemiSyncPrimaryStatus = true,
        SemiSyncReplicaStatus = true,
        GtidBinlogState = "0-100-7,0-101-9",
    };

    public static Replicationdata.PrimaryStatus PrimaryStatus() => new()
    {
        Position = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
        FilePosition = "FilePos/binlog.000002:1234",
        ServerUuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562",
    };

    public static Replicationdata.StopReplicationStatus StopReplicationStatus() => new() { Before = Status(), After = Status() };

    public static Replicationdata.Configuration Configuration() => new() { HeartbeatInterval = 1.5, ReplicaNetTimeout = 3 };

    public static Replicationdata.ShardPeerHealth ShardPeerHealth() => new()
    {
        TabletAlias = Alias(102),
        ConsecutivePingFailures = 2,
        LastSuccessfulPing = Time(),
        LastAttemptedPing = Time(1_700_000_005),
        TimeSinceLastAttemptedPing = Duration(),
    };

    public static Replicationdata.FullStatus FullStatus() => new()
    {
        ServerId = 101,
        ServerUuid = "4f22fa47-71ca-11e1-9e33-c80aa9429562",
        ReplicationStatus = Status(),
        PrimaryStatus = PrimaryStatus(),
        GtidPurged = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2",
        Version = "10.11.6",
        VersionComment = "Debian",
        ReadOnly = true,
        GtidMode = "ON",
        BinlogFormat = "ROW",
        BinlogRowImage = "FULL",
        LogBinEnabled = true,
        LogReplicaUpdates = true,
        SemiSyncPrimaryEnabled = true,
        SemiSyncReplicaEnabled = true,
        SemiSyncPrimaryStatus = true,
        SemiSyncReplicaStatus = true,
        SemiSyncPrimaryClients = 2,
        SemiSyncPrimaryTimeout = 10_000,
        SemiSyncWaitForReplicaCount = 1,
        SuperReadOnly = true,
        ReplicationConfiguration = Configuration(),
        DiskStalled = true,
        SemiSyncBlocked = true,
        TabletType = Topodata.TabletType.Replica,
        ShardPeerHealth = { ShardPeerHealth(), ShardPeerHealth() },
        GtidBinlogState = "0-100-7,0-101-9",
        SourceSilenceSeconds = 2.5,
    };
}
