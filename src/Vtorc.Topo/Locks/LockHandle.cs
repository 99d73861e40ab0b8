using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// A held topology lock. The lease is kept alive continuously while the handle lives (stricter than Go, which
/// renews only on checks, docs/wire-format.md "Topology locks"); <see cref="CheckAsync"/> confirms with the store that
/// it is still held and should be called before each destructive step. Dispose (or <see cref="UnlockAsync"/>) revokes
/// the lease, which deletes the entry and wakes the next waiter.
/// </summary>
public sealed class LockHandle : IAsyncDisposable
{
    private readonly ILockLease _lease;
    private int _released;

    internal LockHandle(ILockLease lease, string resourceKey, LockEntry entry)
    {
        _lease = lease;
        ResourceKey = resourceKey;
        Entry = entry;
    }

    /// <summary>The full key of the locked resource, e.g. <c>/vitess/global/keyspaces/ks/shards/0</c>.</summary>
    public string ResourceKey { get; }

    /// <summary>Our queue entry: key, lease, revision, contents.</summary>
    public LockEntry Entry { get; }

    /// <summary>The full key of our entry: <c>{resource}/locks/{leaseId}</c>.</summary>
    public string Key => Entry.Key;

    public long LeaseId => Entry.LeaseId;

    /// <summary>The JSON stored in our entry.</summary>
    public string Contents => Entry.Contents;

    /// <summary>Completes with the reason once the lease is gone (expired, revoked, unreachable past its TTL); cancelled after release.</summary>
    public Task<LeaseLoss> Lost => _lease.Lost;

    /// <summary>Cancelled when the lock is lost: link work that must not outlive the lock to it.</summary>
    public CancellationToken LostToken => _lease.LostToken;

    public bool IsLost => _lease.IsLost;

    public bool IsReleased => Volatile.Read(ref _released) == 1;

    /// <summary>
    /// One keepalive exchange with the store (Vitess's <c>CheckShardLocked</c>): succeeds only if the lease still
    /// exists, and renews it. <see cref="TopoErrorKind.LockLost"/> once the lease is gone or the lock was released.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (IsReleased)
        {
            throw new TopoException(TopoErrorKind.LockLost, Key, $"lock {Key} was released");
        }

        if (_lease.Lost.IsCompletedSuccessfully)
        {
            throw new TopoException(TopoErrorKind.LockLost, Key, $"lock {Key} is lost: {_lease.Lost.Result.Reason}");
        }

        if (!await _lease.RenewOnceAsync(Key, cancellationToken).ConfigureAwait(false))
        {
            throw new TopoException(TopoErrorKind.LockLost, Key, $"lock {Key} is lost: the topo no longer knows lease {LeaseId}");
        }
    }

    /// <summary>
    /// Releases the lock by revoking its lease. Idempotent. <see cref="TopoErrorKind.LockLost"/> when the lease was
    /// already gone (someone else may have taken the lock meanwhile).
    /// </summary>
    public async Task UnlockAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        await _lease.ReleaseAsync(Key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Releases the lock, ignoring a failure: if the store cannot be told, the entry disappears when the lease expires
    /// (the keepalive has stopped).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await UnlockAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (TopoException)
        {
        }
    }

    public override string ToString() => $"lock {Key}";
}
