namespace Vtorc.Topo;

/// <summary>
/// The relative paths of the records and lock queues of the Vitess etcd2 layout (docs/wire-format.md, "Topology in
/// etcd"). The full etcd key is <see cref="GoPath.Join"/> of the topo root and one of these.
/// </summary>
public static class TopoPaths
{
    public const string CellsDir = "cells";
    public const string KeyspacesDir = "keyspaces";
    public const string TabletsDir = "tablets";
    public const string LocksDir = "locks";

    public const string CellInfoFile = "CellInfo";
    public const string KeyspaceFile = "Keyspace";
    public const string ShardFile = "Shard";
    public const string TabletFile = "Tablet";
    public const string ShardReplicationFile = "ShardReplication";

    public static string CellInfo(string cell) => $"{CellsDir}/{cell}/{CellInfoFile}";

    public static string Keyspace(string keyspace) => $"{KeyspacesDir}/{keyspace}/{KeyspaceFile}";

    /// <summary>The keyspace directory; also the resource path of the keyspace lock.</summary>
    public static string KeyspaceDir(string keyspace) => $"{KeyspacesDir}/{keyspace}";

    public static string ShardsDir(string keyspace) => $"{KeyspacesDir}/{keyspace}/shards";

    /// <summary>The shard directory; also the resource path of the shard lock.</summary>
    public static string ShardDir(string keyspace, string shard) => $"{KeyspacesDir}/{keyspace}/shards/{shard}";

    public static string Shard(string keyspace, string shard) => $"{ShardDir(keyspace, shard)}/{ShardFile}";

    public static string ShardReplication(string keyspace, string shard) =>
        $"{ShardDir(keyspace, shard)}/{ShardReplicationFile}";

    public static string Tablet(string alias) => $"{TabletsDir}/{alias}/{TabletFile}";

    public static string Tablet(string cell, uint uid) => Tablet(TabletAliasText.Format(cell, uid));

    public static string NamedLockDir(string name) => $"internal/named_locks/{name}";

    public const string RoutingRulesLockDir = "routing_rules";

    /// <summary>The queue directory of a lock on <paramref name="resourcePath"/>: <c>{path}/locks</c>.</summary>
    public static string LockQueue(string resourcePath) => GoPath.Join(resourcePath, LocksDir);
}
