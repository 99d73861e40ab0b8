using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// Vitess's etcd lock protocol (docs/wire-format.md, "Topology locks"; go/vt/topo/etcd2topo/lock.go), mutually
/// exclusive with vtctld and Go VTOrc: a lease-bound entry <c>{G}/{path}/locks/{leaseId}</c> per contender, the oldest
/// (by revision) holds the lock, the others each watch the entry just older than theirs. All locks live in the global
/// topo.
/// </summary>
public sealed class TopoLocks
{
    /// <summary>Named locks always use a 24 h lease.</summary>
    public static readonly TimeSpan NamedLockTtl = TimeSpan.FromHours(24);

    private readonly TopoServer _server;

    internal TopoLocks(TopoServer server) => _server = server;

    private TopoConnection Global => _server.Global;

    /// <summary>Blocking shard lock: waits in the queue up to the lock timeout.</summary>
    public Task<LockHandle> LockShardAsync(string keyspace, string shard, string action, CancellationToken cancellationToken, LockOptions? options = null) =>
        LockAsync(ShardPath(keyspace, shard), action, checkExists: true, tryOnly: false, options, cancellationToken);

    /// <summary>
    /// Non-blocking shard lock (what VTOrc uses): fails at once with <see cref="TopoErrorKind.NodeExists"/> when the
    /// shard's lock queue has a live entry; otherwise takes the lock as <see cref="LockShardAsync"/> does.
    /// </summary>
    public Task<LockHandle> TryLockShardAsync(string keyspace, string shard, string action, CancellationToken cancellationToken, LockOptions? options = null) =>
        LockAsync(ShardPath(keyspace, shard), action, checkExists: true, tryOnly: true, options, cancellationToken);

    public Task<LockHandle> LockKeyspaceAsync(string keyspace, string action, CancellationToken cancellationToken, LockOptions? options = null) =>
        LockAsync(KeyspacePath(keyspace), action, checkExists: true, tryOnly: false, options, cancellationToken);

    public Task<LockHandle> TryLockKeyspaceAsync(string keyspace, string action, CancellationToken cancellationToken, LockOptions? options = null) =>
        LockAsync(KeyspacePath(keyspace), action, checkExists: true, tryOnly: true, options, cancellationToken);

    /// <summary>A lock on <c>internal/named_locks/{name}</c>: no existence check, 24 h lease unless overridden.</summary>
    public Task<LockHandle> LockNamedAsync(string name, string action, CancellationToken cancellationToken, LockOptions? options = null)
    {
        TopoNames.Validate("lock", name);
        options = (options ?? new LockOptions()) with { Ttl = options?.Ttl ?? NamedLockTtl };
        return LockAsync(TopoPaths.NamedLockDir(name), action, checkExists: false, tryOnly: false, options, cancellationToken);
    }

    /// <summary>The resource path of a shard lock: <c>keyspaces/{ks}/shards/{shard}</c>.</summary>
    public static string ShardPath(string keyspace, string shard)
    {
        TopoNames.ValidateKeyspace(keyspace);
        _ = ShardName.Parse(shard);
        return TopoPaths.ShardDir(keyspace, shard);
    }

    /// <summary>The resource path of a keyspace lock: <c>keyspaces/{ks}</c>.</summary>
    public static string KeyspacePath(string keyspace)
    {
        TopoNames.ValidateKeyspace(keyspace);
        return TopoPaths.KeyspaceDir(keyspace);
    }

    /// <summary>The live entries of a lock queue, oldest (the holder) first; empty when nobody holds it.</summary>
    public async Task<IReadOnlyList<LockEntry>> GetQueueAsync(string resourcePath, CancellationToken cancellationToken)
    {
        var prefix = QueuePrefix(resourcePath);
        var request = EtcdClient.PrefixRange(prefix);
        request.SortTarget = RangeRequest.Types.SortTarget.Create;
        request.SortOrder = RangeRequest.Types.SortOrder.Ascend;
        var response = await TopoErrors.Run("ListLocks", prefix,
            () => Global.Client.RangeAsync(request, Global.Timeout, cancellationToken)).ConfigureAwait(false);
        return [.. response.Kvs.Select(kv => new LockEntry(kv.Key.ToStringUtf8(), kv.Lease, kv.CreateRevision, kv.Value.ToStringUtf8()))];
    }

    /// <summary>
    /// Takes the lock on <paramref name="resourcePath"/> (relative to the global root), writing a
    /// <see cref="LockDescriptor"/> for <paramref name="action"/> into the entry.
    /// </summary>
    /// <param name="checkExists">Fail with <see cref="TopoErrorKind.NoNode"/> when nothing exists under the path.</param>
    /// <param name="tryOnly">Fail at once with <see cref="TopoErrorKind.NodeExists"/> when the lock is visibly held.</param>
    public async Task<LockHandle> LockAsync(
        string resourcePath, string action, bool checkExists, bool tryOnly, LockOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourcePath);
        ArgumentNullException.ThrowIfNull(action);
        var ttl = options?.Ttl ?? _server.Options.LockTtl;
        var ttlSeconds = Math.Max(1, (long)ttl.TotalSeconds);
        var timeout = options?.Timeout ?? _server.Options.LockTimeout;
        var descriptor = LockDescriptor.ForThisProcess(action, options?.Time ?? DateTimeOffset.Now);
        var resourceKey = Global.KeyOf(resourcePath);

        using var acquisition = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        acquisition.CancelAfter(timeout);
        try
        {
            if (checkExists || tryOnly)
            {
                await CheckResourceAsync(resourcePath, resourceKey, tryOnly, acquisition.Token).ConfigureAwait(false);
            }

            return await AcquireAsync(resourcePath, resourceKey, descriptor.ToJson(), ttlSeconds, acquisition.Token).ConfigureAwait(false);
        }
        catch (TopoException e) when (e.Kind is TopoErrorKind.Interrupted or TopoErrorKind.Timeout
                                      && acquisition.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TopoException(TopoErrorKind.Timeout, resourceKey,
                $"could not acquire the lock on {resourceKey} for \"{action}\" within {timeout.TotalSeconds:0.###} s", e);
        }
    }

    /// <summary>The existence check and the try-lock test, from one ListDir of the resource.</summary>
    private async Task CheckResourceAsync(string resourcePath, string resourceKey, bool tryOnly, CancellationToken token)
    {
        IReadOnlyList<DirEntry> entries;
        try
        {
            entries = await Global.ListDirAsync(resourcePath, token).ConfigureAwait(false);
        }
        catch (TopoException e) when (e.Kind == TopoErrorKind.NoNode)
        {
            throw new TopoException(TopoErrorKind.NoNode, resourceKey, $"cannot lock {resourceKey}: node doesn't exist", e);
        }

        if (!tryOnly || !entries.Any(e => e is { Name: TopoPaths.LocksDir, IsDirectory: true, IsEphemeral: true }))
        {
            return;
        }

        var queue = await GetQueueAsync(resourcePath, token).ConfigureAwait(false);
        var holder = queue.Count > 0 ? $"; held by {queue[0].Key}: {queue[0].Contents}" : "";
        throw new TopoException(TopoErrorKind.NodeExists, resourceKey, $"lock already exists at path {resourceKey}{holder}");
    }

    /// <summary>Grant, create the entry, wait for older entries. On any failure the lease is revoked (deleting our
    /// entry) before the error surfaces.</summary>
    private async Task<LockHandle> AcquireAsync(string resourcePath, string resourceKey, string contents, long ttlSeconds, CancellationToken token)
    {
        var client = Global.Client;
        var operationTimeout = Global.Timeout;
        var grant = await TopoErrors.Run("LeaseGrant", resourceKey,
            () => client.LeaseGrantAsync(ttlSeconds, 0, operationTimeout, token)).ConfigureAwait(false);
        var leaseId = grant.ID;
        var keeper = client.KeepAlive(leaseId, Math.Max(grant.TTL, ttlSeconds));
        var key = QueuePrefix(resourcePath) + leaseId.ToString(CultureInfo.InvariantCulture);
        var entryCreated = false;
        try
        {
            var created = await CreateEntryAsync(client, key, contents, leaseId, operationTimeout, token).ConfigureAwait(false);
            entryCreated = true;

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(token, keeper.LostToken);
            try
            {
                await WaitForOlderEntriesAsync(client, QueuePrefix(resourcePath), created, operationTimeout, waiting.Token).ConfigureAwait(false);
            }
            catch (TopoException e) when (keeper.IsLost && !token.IsCancellationRequested)
            {
                throw new TopoException(TopoErrorKind.LockLost, key, $"lost lease {leaseId} while waiting for the lock on {resourceKey}: {keeper.Lost.Result.Reason}", e);
            }

            return new LockHandle(client, keeper, resourceKey, new LockEntry(key, leaseId, created, contents), operationTimeout);
        }
        catch
        {
            await keeper.DisposeAsync().ConfigureAwait(false);
            await CleanUpAsync(client, key, leaseId, deleteEntry: !entryCreated, operationTimeout).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Step 4: the create-if-absent put of our entry; returns the revision that created it.</summary>
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
    /// Step 5: until no entry older than ours remains, watch the newest older one (from our creation revision)
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

    private string QueuePrefix(string resourcePath) => Global.KeyOf(TopoPaths.LockQueue(resourcePath)) + "/";
}
