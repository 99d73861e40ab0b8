using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// The lease a held lock's queue entry is bound to, kept alive by its implementation while the lock is held: an etcd
/// lease with its keepalive (<see cref="EtcdLockLease"/>) or an in-memory one (<see cref="InMemoryLockLease"/>).
/// </summary>
internal interface ILockLease
{
    long LeaseId { get; }

    /// <summary>Completes with the reason once the lease is gone; cancelled after release.</summary>
    Task<LeaseLoss> Lost { get; }

    /// <summary>Cancelled when the lease is lost.</summary>
    CancellationToken LostToken { get; }

    bool IsLost { get; }

    /// <summary>One renewal, confirmed by the store; false when the store no longer knows the lease.</summary>
    /// <exception cref="TopoException">The store could not be asked (naming <paramref name="key"/>).</exception>
    Task<bool> RenewOnceAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stops keeping the lease alive and revokes it, which deletes the entry. <see cref="TopoErrorKind.LockLost"/> when
    /// the store no longer knew it.
    /// </summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
