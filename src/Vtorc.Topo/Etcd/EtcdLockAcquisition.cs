using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// Joining and waiting in a lock queue the way Vitess's etcd2topo does (go/vt/topo/etcd2topo/lock.go): grant a lease,
/// create the entry <c>{queue}/{leaseId}</c> bound to it, then each waiter watches the entry just older than its own
/// until none is left.
/// </summary>
internal static class EtcdLockAcquisition
{
    /// <summary>Grant, create the entry, wait for older entries. On any failure the lease is revoked (deleting our
    /// entry) before the error surfaces.</summary>
    public static async Task<LockHandle> AcquireAsync(EtcdClient client, string queuePrefix, string resourceKey, string contents, TimeSpan ttl,
        TimeSpan operationTimeout, CancellationToken token)
    {
        var ttlSeconds = Math.Max(1, (long)ttl.TotalSeconds);
        var grant = await TopoErrors.Run("LeaseGrant", resourceKey,
            () => client.LeaseGrantAsync(ttlSeconds, 0, operationTimeout, token)).ConfigureAwait(false);
        var leaseId = grant.ID;
        var keeper = client.KeepAlive(leaseId, Math.Max(grant.TTL, ttlSeconds));
        var key = queuePrefix + leaseId.ToString(CultureInfo.InvariantCulture);
        var entryCreated = false;
        try
        {
            var created = await CreateEntryAsync(client, key, contents, leaseId, operationTimeout, token).ConfigureAwait(false);
            entryCreated = true;

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(token, keeper.LostToken);
            try
            {
                await WaitForOlderEntriesAsync(client, queuePrefix, created, operationTimeout, waiting.Token).ConfigureAwait(false);
            }
            catch (TopoException e) when (keeper.IsLost && !token.IsCancellationRequested)
            {
                throw new TopoException(TopoErrorKind.LockLost, key, $"lost lease {leaseId} while waiting for the lock on {resourceKey}: {keeper.Lost.Result.Reason}", e);
            }

            return new LockHandle(new EtcdLockLease(client, keeper, operationTimeout), resourceKey, new LockEntry(key, leaseId, created, contents));
        }
        catch
        {
            await keeper.DisposeAsync().ConfigureAwait(false);
            await CleanUpAsync(client, key, leaseId, deleteEntry: !entryCreated, operationTimeout).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The live entries of a queue, oldest (the holder) first.</summary>
    public static async Task<IReadOnlyList<LockEntry>> GetQueueAsync(EtcdClient client, string queuePrefix, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = EtcdClient.PrefixRange(queuePrefix);
        request.SortTarget = RangeRequest.Types.SortTarget.Create;
        request.SortOrder = RangeRequest.Types.SortOrder.Ascend;
        var response = await TopoErrors.Run("ListLocks", queuePrefix,
            () => client.RangeAsync(request, timeout, cancellationToken)).ConfigureAwait(false);
        return [.. response.Kvs.Select(kv => new LockEntry(kv.Key.ToStringUtf8(), kv.Lease, kv.CreateRevision, kv.Value.ToStringUtf8()))];
    }

    /// <summary>The create-if-absent put of our entry; returns the revision that created it.</summary>
    private static async Task<long> CreateEntryAsync(EtcdClient client, string key, string contents, long leaseId, TimeSpan timeout, CancellationToken token)
    {
        var response = await TopoErrors.Run("LockCreate", key, () => client.TxnAsync(
            [EtcdCompare.KeyAbsent(key)], [EtcdOp.Put(key, ByteString.CopyFromUtf8(contents), leaseId)], null, timeout, token)).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw TopoException.NodeExists(key);
        }

        return response.Header.Revision;
    }

    /// <summary>
    /// Until no entry older than ours remains, watch the newest older one (from our creation revision)
    /// and look again after its first change.
    /// </summary>
    private static async Task WaitForOlderEntriesAsync(EtcdClient client, string prefix, long created, TimeSpan timeout, CancellationToken token)
    {
        // max_mod_revision 0 would mean "no limit" to etcd; nothing can be older than revision 1.
        if (created <= 1)
        {
            return;
        }

        while (true)
        {
            var request = EtcdClient.PrefixRange(prefix);
            request.Limit = 1;
            request.SortOrder = RangeRequest.Types.SortOrder.Descend;
            request.SortTarget = RangeRequest.Types.SortTarget.Mod;
            request.MaxModRevision = created - 1;
            var older = await TopoErrors.Run("LockWait", prefix, () => client.RangeAsync(request, timeout, token)).ConfigureAwait(false);
            if (older.Kvs.Count == 0)
            {
                return;
            }

            var blocker = older.Kvs[0].Key.ToStringUtf8();
            await WaitForChangeAsync(client, blocker, created, older.Header.Revision + 1, timeout, token).ConfigureAwait(false);
        }
    }

    /// <summary>Returns after the first change of <paramref name="key"/> from <paramref name="startRevision"/> (or any end of the watch).</summary>
    private static async Task WaitForChangeAsync(EtcdClient client, string key, long startRevision, long fallbackRevision, TimeSpan timeout, CancellationToken token)
    {
        EtcdWatch watch;
        try
        {
            watch = await client.WatchKeyAsync(key, startRevision, timeout, token).ConfigureAwait(false);
        }
        catch (EtcdException e) when (e.Kind == EtcdErrorKind.Compacted)
        {
            // Our creation revision is already compacted; the blocker existed at the range's revision, so its
            // deletion is after that one.
            watch = await TopoErrors.Run("LockWait", key, () => client.WatchKeyAsync(key, fallbackRevision, timeout, token)).ConfigureAwait(false);
        }
        catch (EtcdException e)
        {
            throw TopoErrors.From(e, "LockWait", key);
        }
        catch (OperationCanceledException e)
        {
            throw TopoErrors.Cancelled("LockWait", key, e);
        }

        await using (watch.ConfigureAwait(false))
        {
            try
            {
                await watch.ReadAsync(token).ConfigureAwait(false);
            }
            catch (EtcdException e) when (e.Kind == EtcdErrorKind.Compacted)
            {
                // Any answer means "look again".
            }
            catch (EtcdException e)
            {
                throw TopoErrors.From(e, "LockWait", key);
            }
            catch (OperationCanceledException e)
            {
                throw TopoErrors.Cancelled("LockWait", key, e);
            }
        }
    }

    /// <summary>
    /// Best effort, with a fresh deadline (the caller's may have passed): delete the entry if its creation may have
    /// happened unseen, and revoke the lease, which deletes the entry in any case.
    /// </summary>
    private static async Task CleanUpAsync(EtcdClient client, string key, long leaseId, bool deleteEntry, TimeSpan timeout)
    {
        using var cleanup = new CancellationTokenSource(timeout);
        try
        {
            if (deleteEntry)
            {
                await client.DeleteAsync(key, timeout, cleanup.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is EtcdException or OperationCanceledException)
        {
            // The revoke below removes the entry too.
        }

        try
        {
            await client.LeaseRevokeAsync(leaseId, timeout, cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EtcdException or OperationCanceledException)
        {
            // The lease is no longer kept alive, so it expires within its TTL.
        }
    }
}
