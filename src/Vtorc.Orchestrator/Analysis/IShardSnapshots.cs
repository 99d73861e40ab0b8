namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Where the recovery tick and the HTTP queries read the shards from: snapshots built on demand from what discovery
/// holds. The one way the recovery side reads discovery's state in bulk (the recovery pipeline reads one shard and
/// asks for refreshes through <see cref="Recovery.IShardStateSource"/>). Implementations must be thread-safe.
/// </summary>
internal interface IShardSnapshots
{
    /// <summary>
    /// Snapshots of every known shard (only those of <paramref name="keyspace"/> when given) from one consistent view,
    /// ordered by keyspace then shard.
    /// </summary>
    IReadOnlyList<ShardSnapshot> GetSnapshots(string? keyspace = null);

    /// <summary>The current snapshot of one shard; null when its keyspace or shard record is not known.</summary>
    ShardSnapshot? GetSnapshot(string keyspace, string shard);
}
