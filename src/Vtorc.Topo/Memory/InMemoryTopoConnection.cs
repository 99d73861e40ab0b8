using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf;

namespace Vtorc.Topo;

/// <summary>
/// <see cref="ITopoConnection"/> on an <see cref="InMemoryTopoStore"/> under one root, for unit tests (Vitess's
/// go/vt/topo/memorytopo plays the same part). Calls complete at once; a cancelled token fails them as
/// <see cref="TopoErrorKind.Interrupted"/>, as it fails an etcd call.
/// </summary>
internal sealed class InMemoryTopoConnection(InMemoryTopoStore store, string cell, string root, TimeProvider time) : ITopoConnection
{
    public string Cell { get; } = cell;

    public string ServerAddress => store.ServerAddress;

    public string Root { get; } = root;

    public Task<TopoFile?> TryGetAsync(string relativePath, CancellationToken cancellationToken)
    {
        var key = Checked("Get", KeyOf(relativePath), cancellationToken);
        return Task.FromResult(store.Get(key));
    }

    public Task<long> CreateAsync(string relativePath, ByteString value, CancellationToken cancellationToken)
    {
        var key = Checked("Create", KeyOf(relativePath), cancellationToken);
        return Task.FromResult(store.Create(key, value));
    }

    public Task<long> UpdateAsync(string relativePath, ByteString value, long? expectedVersion, CancellationToken cancellationToken)
    {
        var key = Checked("Update", KeyOf(relativePath), cancellationToken);
        return Task.FromResult(store.Update(key, value, expectedVersion));
    }

    public Task DeleteAsync(string relativePath, long? expectedVersion, CancellationToken cancellationToken)
    {
        var key = Checked("Delete", KeyOf(relativePath), cancellationToken);
        store.Delete(key, expectedVersion);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DirEntry>> ListDirAsync(string dir, CancellationToken cancellationToken)
    {
        var prefix = Checked("ListDir", TopoKeys.DirectoryPrefix(Root, dir), cancellationToken);
        var files = store.Range(prefix);
        if (files.Count == 0)
        {
            throw TopoException.NoNode(prefix);
        }

        return Task.FromResult(DirectoryListing.FromKeys(prefix, files.Select(f => (Encoding.UTF8.GetBytes(f.Key), f.Lease))));
    }

    public Task<IReadOnlyList<TopoFile>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var full = Checked("List", TopoKeys.ListPrefix(Root, prefix), cancellationToken);
        return Task.FromResult(store.Range(full));
    }

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken)
    {
        Checked("Revision", Root, cancellationToken);
        return Task.FromResult(store.Revision);
    }

    public async IAsyncEnumerable<TopoFile> WatchAsync(string relativePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = Checked("Watch", KeyOf(relativePath), cancellationToken);
        var (current, watcher) = store.WatchKey(key);
        using (watcher)
        {
            yield return current ?? throw TopoException.NoNode(key);
            while (true)
            {
                IReadOnlyList<TopoChange>? batch;
                try
                {
                    batch = await watcher.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException e)
                {
                    throw TopoErrors.Cancelled("Watch", key, e);
                }

                foreach (var change in batch ?? [])
                {
                    yield return change.AsFile()
                        ?? throw new TopoException(TopoErrorKind.NoNode, key, $"node doesn't exist: {key} was deleted while being watched");
                }
            }
        }
    }

    public Task<ITopoDirectoryWatch> WatchDirectoryAsync(string dir, long startRevision, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startRevision, 1);
        var prefix = Checked("Watch", TopoKeys.DirectoryPrefix(Root, dir), cancellationToken);
        var watcher = store.Watch(prefix, isPrefix: true, startRevision);
        return Task.FromResult<ITopoDirectoryWatch>(new InMemoryDirectoryWatch(watcher, prefix, ServerAddress, time));
    }

    public Task<IReadOnlyList<LockEntry>> GetLockQueueAsync(string resourcePath, CancellationToken cancellationToken)
    {
        var prefix = Checked("ListLocks", TopoKeys.LockQueuePrefix(Root, resourcePath), cancellationToken);
        return Task.FromResult(store.LockQueue(prefix));
    }

    /// <summary>The same queue as etcd's: a kept-alive lease, an entry named by it, then waiting until no older entry is left.</summary>
    public async Task<LockHandle> AcquireLockAsync(string resourcePath, string contents, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var resourceKey = Checked("LockCreate", KeyOf(resourcePath), cancellationToken);
        var queuePrefix = TopoKeys.LockQueuePrefix(Root, resourcePath);
        var lease = store.GrantLease(ttl, keptAlive: true);
        var key = queuePrefix + lease.Id.ToString(CultureInfo.InvariantCulture);
        try
        {
            var created = store.Create(key, ByteString.CopyFromUtf8(contents), lease.Id);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.LostCancellation.Token);
            while (store.WatchOlderEntries(queuePrefix, created) is { } watcher)
            {
                using (watcher)
                {
                    try
                    {
                        await watcher.ReadAsync(waiting.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (lease.LostSource.Task.IsCompletedSuccessfully && !cancellationToken.IsCancellationRequested)
                    {
                        throw new TopoException(TopoErrorKind.LockLost, key,
                            $"lost lease {lease.Id} while waiting for the lock on {resourceKey}: {lease.LostSource.Task.Result.Reason}");
                    }
                    catch (OperationCanceledException e)
                    {
                        throw TopoErrors.Cancelled("LockWait", key, e);
                    }
                }
            }

            return new LockHandle(new InMemoryLockLease(store, lease), resourceKey, new LockEntry(key, lease.Id, created, contents));
        }
        catch
        {
            store.EndLease(lease.Id, "abandoned", released: true);
            throw;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static void ThrowIfCancelled(string operation, string key, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw TopoErrors.Cancelled(operation, key, new OperationCanceledException(cancellationToken));
        }
    }

    private static string Checked(string operation, string key, CancellationToken cancellationToken)
    {
        ThrowIfCancelled(operation, key, cancellationToken);
        return key;
    }

    private string KeyOf(string relativePath) => TopoKeys.File(Root, relativePath);
}
