namespace Vtorc.Topo;

/// <summary>
/// Vitess's topology locks (docs/wire-format.md, "Topology locks"; go/vt/topo/locks.go), mutually exclusive with
/// vtctld and Go VTOrc: a lease-bound entry <c>{G}/{path}/locks/{leaseId}</c> per contender, the oldest (by revision)
/// holds the lock (the queue itself is <see cref="ITopoConnection.AcquireLockAsync"/>, etcd's in
/// go/vt/topo/etcd2topo/lock.go). What is the same for every connection lives here: the existence check, TryLock's
/// refusal, the descriptor, the timeout. All locks live in the global topo.
/// </summary>
public sealed class TopoLocks
{
    /// <summary>Named locks always use a 24 h lease.</summary>
    public static readonly TimeSpan NamedLockTtl = TimeSpan.FromHours(24);

    private readonly TopoServer _server;

    internal TopoLocks(TopoServer server) => _server = server;

    private ITopoConnection Global => _server.Global;

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
    public Task<IReadOnlyList<LockEntry>> GetQueueAsync(string resourcePath, CancellationToken cancellationToken) =>
        Global.GetLockQueueAsync(resourcePath, cancellationToken);

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
        // etcd leases are whole seconds; every connection rounds the same way.
        ttl = TimeSpan.FromSeconds(Math.Max(1, (long)ttl.TotalSeconds));
        var timeout = options?.Timeout ?? _server.Options.LockTimeout;
        var descriptor = LockDescriptor.ForThisProcess(action, options?.Time ?? _server.TimeProvider.GetLocalNow());
        var resourceKey = Global.KeyOf(resourcePath);

        using var timer = new CancellationTokenSource(timeout, _server.TimeProvider);
        using var acquisition = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            if (checkExists || tryOnly)
            {
                await CheckResourceAsync(resourcePath, resourceKey, tryOnly, acquisition.Token).ConfigureAwait(false);
            }

            return await Global.AcquireLockAsync(resourcePath, descriptor.ToJson(), ttl, acquisition.Token).ConfigureAwait(false);
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
}
