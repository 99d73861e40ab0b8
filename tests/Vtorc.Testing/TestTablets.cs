using Topodata;
using Vtorc.Topo;

namespace Vtorc.Testing;

/// <summary>The tablet record tests write to a topology: host <c>host-{uid}</c>, MySQL at <c>db-{uid}:3306</c>, gRPC
/// port 15999 and vt port 15000 (a fake tablet manager answers for it; nothing listens there).</summary>
public static class TestTablets
{
    public static Tablet Record(string cell, uint uid, string keyspace = "ks", string shard = "0", TabletType type = TabletType.Replica) => new()
    {
        Alias = TabletAliases.Create(cell, uid),
        Hostname = $"host-{uid}",
        Keyspace = keyspace,
        Shard = shard,
        Type = type,
        MysqlHostname = $"db-{uid}",
        MysqlPort = 3306,
        PortMap = { ["grpc"] = 15999, ["vt"] = 15000 },
    };
}
