using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>The lease of a lock held in an <see cref="InMemoryTopoStore"/>: renewed continuously until released.</summary>
internal sealed class InMemoryLockLease(InMemoryTopoStore store, InMemoryLease lease) : ILockLease
{
    public long LeaseId => lease.Id;

    public Task<LeaseLoss> Lost => lease.LostSource.Task;

    public CancellationToken LostToken => lease.LostCancellation.Token;

    public bool IsLost => lease.LostSource.Task.IsCompletedSuccessfully;

    public Task<bool> RenewOnceAsync(string key, CancellationToken cancellationToken)
    {
        InMemoryTopoConnection.ThrowIfCancelled("CheckLock", key, cancellationToken);
        return Task.FromResult(store.RenewLease(lease.Id));
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        if (!store.EndLease(lease.Id, "released", released: true))
        {
            throw new TopoException(TopoErrorKind.LockLost, key, $"lock {key} was already lost when released: lease {lease.Id} not found");
        }

        return Task.CompletedTask;
    }
}
