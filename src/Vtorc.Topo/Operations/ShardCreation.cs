using Topodata;

namespace Vtorc.Topo;

/// <summary>Creating a shard record the way Vitess's <c>CreateShard</c> does.</summary>
public static class ShardCreation
{
    /// <summary>
    /// Under the keyspace lock (so the keyspace must exist), creates <c>keyspaces/{ks}/shards/{shard}/Shard</c> with
    /// the key range of the shard name, serving as primary only if it overlaps no existing shard of the keyspace.
    /// <see cref="TopoErrorKind.NodeExists"/> when the shard exists.
    /// </summary>
    public static async Task<TopoRecord<Shard>> CreateShardAsync(this TopoServer topo, string keyspace, string shard, CancellationToken cancellationToken)
    {
        var name = ShardName.Parse(shard);
        var keyRange = name.ToKeyRange();
        await using var keyspaceLock = await topo.Locks.LockKeyspaceAsync(keyspace, $"CreateShard({keyspace}/{name.Name})", cancellationToken)
            .ConfigureAwait(false);
        var existing = await topo.GetShardsAsync(keyspace, cancellationToken).ConfigureAwait(false);
        var record = new Shard
        {
            KeyRange = keyRange,
            IsPrimaryServing = !existing.Values.Any(s => KeyRangeOverlap.Intersect(s.Value.KeyRange, keyRange)),
        };
        await keyspaceLock.CheckAsync(cancellationToken).ConfigureAwait(false);
        return await topo.Shards.CreateAsync((keyspace, name.Name), record, cancellationToken).ConfigureAwait(false);
    }
}
