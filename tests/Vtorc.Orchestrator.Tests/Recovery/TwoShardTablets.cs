using Replicationdata;
using Topodata;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// Tablet records and scripted FullStatus answers for the fleets of keyspace "ks" split into -80 and 80- that tests run
/// a real daemon over (fake tablet manager): tablet <c>uid</c> in cell zone1, mysqld <c>db-uid</c>:3306.
/// </summary>
internal static class TwoShardTablets
{
    public const string ShardA = "-80";
    public const string ShardB = "80-";

    public static Tablet NewTablet(uint uid, string shard, TabletType type) => new()
    {
        Alias = TabletAliases.Create("zone1", uid),
        Hostname = $"host-{uid}",
        Keyspace = "ks",
        Shard = shard,
        KeyRange = shard == ShardA ? new KeyRange { End = Google.Protobuf.ByteString.CopyFrom(0x80) } : new KeyRange { Start = Google.Protobuf.ByteString.CopyFrom(0x80) },
        Type = type,
        MysqlHostname = $"db-{uid}",
        MysqlPort = 3306,
        PortMap = { ["grpc"] = 15999, ["vt"] = 15000 },
        PrimaryTermStartTime = type == TabletType.Primary ? new Vttime.Time { Seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60 } : null,
    };

    /// <summary>A read-only replica of <paramref name="primaryUid"/> whose replication threads both run, or both are stopped.</summary>
    public static FullStatus ReplicaStatus(uint uid, uint primaryUid, bool running)
    {
        int state = running ? 3 : 1;
        return new FullStatus
        {
            ServerId = uid,
            TabletType = TabletType.Replica,
            ReadOnly = true,
            Version = "8.0.36",
            ReplicationStatus = new Status { SourceHost = $"db-{primaryUid}", SourcePort = 3306, IoState = state, SqlState = state },
        };
    }
}
