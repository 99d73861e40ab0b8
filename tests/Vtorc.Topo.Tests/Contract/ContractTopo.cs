namespace Vtorc.Topo.Tests.Contract;

/// <summary>
/// What the contract suite needs from one implementation of the topology: a fresh <see cref="TopoServer"/> with cells
/// zone1 and zone2, and the few things another client of the same store can do (a lock entry whose lease nobody
/// renews, revoking a lease) or that only time does.
/// </summary>
public abstract class ContractTopo : IAsyncDisposable
{
    public abstract TopoServer Server { get; }

    /// <summary>
    /// Writes a lock entry at <paramref name="queueKey"/> (a full key under a resource's <c>locks/</c>) bound to a new
    /// lease of <paramref name="ttl"/> that nobody renews, as another implementation (or a crashed holder) leaves one;
    /// returns the lease.
    /// </summary>
    public abstract Task<long> PutUnrenewedLockEntryAsync(string queueKey, string contents, TimeSpan ttl);

    /// <summary>Revokes a lease as another client of the store may.</summary>
    public abstract Task RevokeLeaseAsync(long leaseId);

    /// <summary>
    /// Lets <paramref name="duration"/> pass for the store and the lock timeouts: etcd's clock runs by itself (the caller
    /// then waits for the outcome with a deadline); memory's is moved by hand.
    /// </summary>
    public abstract void Pass(TimeSpan duration);

    public abstract ValueTask DisposeAsync();
}
