using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// The global <c>keyspaces/</c> directory: <c>{ks}/Keyspace</c> and <c>{ks}/shards/{shard}/Shard</c> records
/// (docs/wire-format.md, "Topology in etcd"); lock entries and other files under it are ignored.
/// </summary>
internal sealed class KeyspacesWatchScope(TopoServer topo, TopologyRefresher refresher) : TopologyWatchScope
{
    // The directory name between a keyspace and its shards (TopoPaths.ShardsDir).
    private const string ShardsDirName = "shards";

    public override string Name => "keyspaces and shards (global topo)";

    public override string Directory => TopoPaths.KeyspacesDir;

    public override Task<ITopoConnection> ConnectionAsync(CancellationToken cancellationToken) => Task.FromResult(topo.Global);

    public override Task<bool> RereadAsync(CancellationToken cancellationToken) => refresher.RefreshAllKeyspacesAndShardsAsync(cancellationToken);

    public override bool Apply(TopoChange change, string relativeKey)
    {
        switch (relativeKey.Split('/'))
        {
            case [var keyspace, TopoPaths.KeyspaceFile]:
                refresher.ApplyWatchedKeyspace(keyspace, change.AsFile() is { } file ? topo.Keyspaces.Decode(file) : null);
                return true;
            case [var keyspace, ShardsDirName, var shard, TopoPaths.ShardFile]:
                refresher.ApplyWatchedShard(keyspace, shard, change.AsFile() is { } shardFile ? topo.Shards.Decode(shardFile) : null);
                return true;
            default:
                return false;
        }
    }
}
