using System.Runtime.CompilerServices;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// <see cref="ITopoConnection"/> on one etcd server (global or a cell's) under one root: the file operations of
/// Vitess's etcd2 topo (docs/wire-format.md, "Topology in etcd"; go/vt/topo/etcd2topo). Every call has the options'
/// operation deadline and the caller's token; at most <see cref="TopoServerOptions.ReadConcurrency"/> reads run at once.
/// </summary>
internal sealed class EtcdTopoConnection : ITopoConnection
{
    private readonly SemaphoreSlim _reads;
    private readonly TimeSpan _timeout;

    internal EtcdTopoConnection(string cell, string serverAddress, string root, EtcdClient client, TopoServerOptions options)
    {
        Cell = cell;
        ServerAddress = serverAddress;
        Root = root;
        Client = client;
        _timeout = options.OperationTimeout;
        _reads = new SemaphoreSlim(Math.Max(1, options.ReadConcurrency));
    }

    /// <summary>Opens a connection to comma-separated <paramref name="serverAddress"/> under <paramref name="root"/>.</summary>
    public static EtcdTopoConnection Open(string cell, string serverAddress, string root, TopoServerOptions options)
    {
        var clientOptions = new EtcdClientOptions
        {
            Endpoints = TopoServerOptions.SplitAddresses(serverAddress),
            DialTimeout = options.DialTimeout,
            DefaultCallTimeout = options.OperationTimeout,
            TlsCertPath = options.TlsCertFile,
            TlsKeyPath = options.TlsKeyFile,
            TlsCaPath = options.TlsCaFile,
        };
        if (options.MaxReceiveMessageSize is { } max)
        {
            clientOptions = clientOptions with { MaxReceiveMessageSize = max };
        }

        var client = new EtcdClient(clientOptions);
        return new EtcdTopoConnection(cell, serverAddress, root, client, options);
    }

    /// <summary>"global" or the cell name.</summary>
    public string Cell { get; }

    /// <summary>The endpoints as configured (comma-separated).</summary>
    public string ServerAddress { get; }

    public string Root { get; }

    private EtcdClient Client { get; }

    private string KeyOf(string relativePath) => TopoKeys.File(Root, relativePath);

    public async Task<TopoFile?> TryGetAsync(string relativePath, CancellationToken cancellationToken)
    {
        var key = KeyOf(relativePath);
        var response = await ReadAsync("Get", key, new RangeRequest { Key = ByteString.CopyFromUtf8(key) }, cancellationToken)
            .ConfigureAwait(false);
        return response.Kvs.Count == 1 ? ToFile(response.Kvs[0]) : null;
    }

    /// <summary>Creates a file that must not exist yet; returns its version. <see cref="TopoErrorKind.NodeExists"/> otherwise.</summary>
    public async Task<long> CreateAsync(string relativePath, ByteString value, CancellationToken cancellationToken)
    {
        var key = KeyOf(relativePath);
        var response = await TopoErrors.Run("Create", key, () => Client.TxnAsync(
            [EtcdCompare.KeyAbsent(key)], [EtcdOp.Put(key, value)], null, _timeout, cancellationToken)).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw TopoException.NodeExists(key);
        }

        return response.Header.Revision;
    }

    /// <summary>
    /// Writes a file. With <paramref name="expectedVersion"/> it is a compare-and-swap that fails with
    /// <see cref="TopoErrorKind.BadVersion"/> when the file is at another version or absent; without, a plain put.
    /// Returns the new version.
    /// </summary>
    public async Task<long> UpdateAsync(string relativePath, ByteString value, long? expectedVersion, CancellationToken cancellationToken)
    {
        var key = KeyOf(relativePath);
        if (expectedVersion is not { } version)
        {
            var put = await TopoErrors.Run("Update", key, () => Client.PutAsync(key, value, 0, _timeout, cancellationToken)).ConfigureAwait(false);
            return put.Header.Revision;
        }

        var response = await TopoErrors.Run("Update", key, () => Client.TxnAsync(
            [EtcdCompare.ModRevisionIs(key, version)], [EtcdOp.Put(key, value)], null, _timeout, cancellationToken)).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw TopoException.BadVersion(key, version);
        }

        return response.Header.Revision;
    }

    /// <summary>
    /// Deletes a file. With a version: compare-and-delete (<see cref="TopoErrorKind.BadVersion"/> when it is at
    /// another version, <see cref="TopoErrorKind.NoNode"/> when absent); without: <see cref="TopoErrorKind.NoNode"/>
    /// when nothing was deleted.
    /// </summary>
    public async Task DeleteAsync(string relativePath, long? expectedVersion, CancellationToken cancellationToken)
    {
        var key = KeyOf(relativePath);
        if (expectedVersion is not { } version)
        {
            var deleted = await TopoErrors.Run("Delete", key, () => Client.DeleteAsync(key, _timeout, cancellationToken)).ConfigureAwait(false);
            if (deleted.Deleted != 1)
            {
                throw TopoException.NoNode(key);
            }

            return;
        }

        var response = await TopoErrors.Run("Delete", key, () => Client.TxnAsync(
            [EtcdCompare.ModRevisionIs(key, version)], [EtcdOp.Delete(key)], [EtcdOp.Get(key)], _timeout, cancellationToken))
            .ConfigureAwait(false);
        if (!response.Succeeded)
        {
            var found = response.Responses.Count > 0 && response.Responses[0].ResponseRange is { Kvs.Count: > 0 };
            throw found ? TopoException.BadVersion(key, version) : TopoException.NoNode(key);
        }
    }

    /// <summary>The entries of a directory (keys-only scan of <c>{root}/{dir}/</c>); <see cref="TopoErrorKind.NoNode"/> when empty.</summary>
    public async Task<IReadOnlyList<DirEntry>> ListDirAsync(string dir, CancellationToken cancellationToken)
    {
        var prefix = TopoKeys.DirectoryPrefix(Root, dir);
        var request = new RangeRequest
        {
            Key = ByteString.CopyFromUtf8(prefix),
            RangeEnd = EtcdKeys.PrefixEnd(prefix),
            SortTarget = RangeRequest.Types.SortTarget.Key,
            SortOrder = RangeRequest.Types.SortOrder.Ascend,
            KeysOnly = true,
        };
        var response = await ReadAsync("ListDir", prefix, request, cancellationToken).ConfigureAwait(false);
        if (response.Kvs.Count == 0)
        {
            throw TopoException.NoNode(prefix);
        }

        return DirectoryListing.FromKeys(prefix, response.Kvs.Select(kv => (kv.Key.ToByteArray(), kv.Lease)));
    }

    /// <summary>
    /// Every file whose key starts with <c>{root}/{prefix}</c> (the prefix is joined, then taken literally: pass a
    /// trailing '/' to stay inside a directory), by key ascending, with values. Empty when there are none.
    /// </summary>
    public async Task<IReadOnlyList<TopoFile>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var full = TopoKeys.ListPrefix(Root, prefix);
        var request = EtcdClient.PrefixRange(full);
        var response = await ReadAsync("List", full, request, cancellationToken).ConfigureAwait(false);
        return response.Kvs.Select(ToFile).ToList();
    }

    /// <summary>
    /// The store's current revision (the header of a count-only read of the root key): where a watch started after a
    /// full read of the present state can begin without missing a change.
    /// </summary>
    public async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken)
    {
        var request = new RangeRequest { Key = ByteString.CopyFromUtf8(Root), CountOnly = true };
        var response = await ReadAsync("Revision", Root, request, cancellationToken).ConfigureAwait(false);
        return response.Header.Revision;
    }

    /// <summary>
    /// The file's current value, then every later value, until the token is cancelled. Ends with
    /// <see cref="TopoErrorKind.NoNode"/> when the file does not exist or is deleted. After a compaction the watch
    /// resumes from the current value (intermediate values may be skipped, the latest is never missed).
    /// </summary>
    public async IAsyncEnumerable<TopoFile> WatchAsync(string relativePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = KeyOf(relativePath);
        var current = await this.GetAsync(relativePath, cancellationToken).ConfigureAwait(false);
        yield return current;
        var next = current.Version + 1;
        while (true)
        {
            var watch = await OpenWatchAsync(key, next, cancellationToken).ConfigureAwait(false);
            if (watch is null)
            {
                // Compacted: everything up to now is gone from history; start again from the present value.
                var now = await this.GetAsync(relativePath, cancellationToken).ConfigureAwait(false);
                if (now.Version != current.Version)
                {
                    current = now;
                    yield return current;
                }

                next = current.Version + 1;
                continue;
            }

            await using (watch.ConfigureAwait(false))
            {
                while (await ReadWatchAsync(watch, key, cancellationToken).ConfigureAwait(false) is { } response)
                {
                    foreach (var ev in response.Events)
                    {
                        if (ev.Type == Event.Types.EventType.Delete)
                        {
                            throw new TopoException(TopoErrorKind.NoNode, key, $"node doesn't exist: {key} was deleted while being watched");
                        }

                        current = ToFile(ev.Kv);
                        next = current.Version + 1;
                        yield return current;
                    }
                }
            }
        }
    }

    public async Task<ITopoDirectoryWatch> WatchDirectoryAsync(string dir, long startRevision, CancellationToken cancellationToken) =>
        await EtcdDirectoryWatch.OpenAsync(Client, TopoKeys.DirectoryPrefix(Root, dir), startRevision, _timeout, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<LockEntry>> GetLockQueueAsync(string resourcePath, CancellationToken cancellationToken) =>
        EtcdLockAcquisition.GetQueueAsync(Client, LockQueuePrefix(resourcePath), _timeout, cancellationToken);

    public Task<LockHandle> AcquireLockAsync(string resourcePath, string contents, TimeSpan ttl, CancellationToken cancellationToken) =>
        EtcdLockAcquisition.AcquireAsync(Client, LockQueuePrefix(resourcePath), KeyOf(resourcePath), contents, ttl, _timeout, cancellationToken);

    private string LockQueuePrefix(string resourcePath) => TopoKeys.LockQueuePrefix(Root, resourcePath);

    private Task<EtcdWatch?> OpenWatchAsync(string key, long startRevision, CancellationToken cancellationToken) =>
        WatchCallAsync<EtcdWatch>(async () => await Client.WatchKeyAsync(key, startRevision, _timeout, cancellationToken).ConfigureAwait(false), key);

    /// <summary>The next response with events; null when the watch ended or was compacted (the caller re-opens).</summary>
    private static Task<WatchResponse?> ReadWatchAsync(EtcdWatch watch, string key, CancellationToken cancellationToken) =>
        WatchCallAsync<WatchResponse>(async () => await watch.ReadAsync(cancellationToken).ConfigureAwait(false), key);

    /// <summary>One call of a file watch: null when etcd compacted past it, other failures as topo errors.</summary>
    private static async Task<T?> WatchCallAsync<T>(Func<Task<T?>> call, string key) where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (EtcdException e) when (e.Kind == EtcdErrorKind.Compacted)
        {
            return null;
        }
        catch (EtcdException e)
        {
            throw TopoErrors.From(e, "Watch", key);
        }
        catch (OperationCanceledException e)
        {
            throw TopoErrors.Cancelled("Watch", key, e);
        }
    }

    private async Task<RangeResponse> ReadAsync(string operation, string key, RangeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _reads.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw TopoErrors.Cancelled(operation, key, e);
        }

        try
        {
            return await TopoErrors.Run(operation, key, () => Client.RangeAsync(request, _timeout, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _reads.Release();
        }
    }

    internal static TopoFile ToFile(KeyValue kv) => new(kv.Key.ToStringUtf8(), kv.Value, kv.ModRevision, kv.Lease);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        _reads.Dispose();
    }
}
