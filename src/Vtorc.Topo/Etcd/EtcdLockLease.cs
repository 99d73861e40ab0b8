using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>The etcd lease of a held lock, renewed continuously by a <see cref="LeaseKeeper"/>.</summary>
internal sealed class EtcdLockLease(EtcdClient client, LeaseKeeper keeper, TimeSpan operationTimeout) : ILockLease
{
    public long LeaseId => keeper.LeaseId;

    public Task<LeaseLoss> Lost => keeper.Lost;

    public CancellationToken LostToken => keeper.LostToken;

    public bool IsLost => keeper.IsLost;

    public async Task<bool> RenewOnceAsync(string key, CancellationToken cancellationToken) =>
        await TopoErrors.Run("CheckLock", key, () => client.LeaseKeepAliveOnceAsync(LeaseId, operationTimeout, cancellationToken))
            .ConfigureAwait(false) > 0;

    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        await keeper.DisposeAsync().ConfigureAwait(false);
        try
        {
            await client.LeaseRevokeAsync(LeaseId, operationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdException e) when (e.Kind == EtcdErrorKind.LeaseNotFound)
        {
            throw new TopoException(TopoErrorKind.LockLost, key, $"lock {key} was already lost when released: lease {LeaseId} not found", e);
        }
        catch (EtcdException e)
        {
            throw TopoErrors.From(e, "Unlock", key);
        }
        catch (OperationCanceledException e)
        {
            throw TopoErrors.Cancelled("Unlock", key, e);
        }
    }
}
