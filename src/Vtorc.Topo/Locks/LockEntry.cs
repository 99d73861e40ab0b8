namespace Vtorc.Topo;

/// <summary>
/// One entry of a lock queue: <c>{path}/locks/{leaseId}</c>. The entry with the smallest <see cref="Revision"/>
/// holds the lock; the others wait in revision order.
/// </summary>
/// <param name="Key">The full etcd key.</param>
/// <param name="LeaseId">The lease the entry is attached to.</param>
/// <param name="Revision">The revision that created it (entries are never modified).</param>
/// <param name="Contents">The stored text (JSON for shard/keyspace locks).</param>
public sealed record LockEntry(string Key, long LeaseId, long Revision, string Contents)
{
    /// <summary>The parsed JSON, or null when the contents are not a lock descriptor.</summary>
    public LockDescriptor? Descriptor => LockDescriptor.TryParse(Contents);
}
