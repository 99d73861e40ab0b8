using Google.Protobuf;

namespace Vtorc.Topo;

/// <summary>
/// One topo server (the global one or a cell's) under one root: the file, directory, watch and lock operations
/// that <see cref="TopoServer"/>, its records and its locks are built on (Vitess's <c>topo.Conn</c>,
/// go/vt/topo/conn.go). Paths are relative to <see cref="Root"/>. Two implementations honour the same semantics,
/// pinned by one contract test suite: etcd (<c>EtcdTopoConnection</c>, Vitess's etcd2 layout) and memory
/// (<see cref="InMemoryTopoFactory"/>, for unit tests). Every call takes the caller's token; failures are
/// <see cref="TopoException"/>s naming the key.
/// </summary>
/// <remarks>
/// Versions are store revisions, as etcd's <c>mod_revision</c>: every write anywhere in the store moves the revision
/// on, so a file's version changes on every write of it and a stale expected version fails with
/// <see cref="TopoErrorKind.BadVersion"/>.
/// </remarks>
public interface ITopoConnection : IAsyncDisposable
{
    /// <summary>"global" or the cell name.</summary>
    string Cell { get; }

    /// <summary>The server address as configured (comma-separated etcd endpoints, or the in-memory store's name).</summary>
    string ServerAddress { get; }

    string Root { get; }

    /// <summary>Reads one file; null when absent.</summary>
    Task<TopoFile?> TryGetAsync(string relativePath, CancellationToken cancellationToken);

    /// <summary>Creates a file that must not exist yet; returns its version. <see cref="TopoErrorKind.NodeExists"/> otherwise.</summary>
    Task<long> CreateAsync(string relativePath, ByteString value, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a file. With <paramref name="expectedVersion"/> it is a compare-and-swap that fails with
    /// <see cref="TopoErrorKind.BadVersion"/> when the file is at another version or absent; without, a plain put.
    /// Returns the new version.
    /// </summary>
    Task<long> UpdateAsync(string relativePath, ByteString value, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a file. With a version: compare-and-delete (<see cref="TopoErrorKind.BadVersion"/> when it is at
    /// another version, <see cref="TopoErrorKind.NoNode"/> when absent); without: <see cref="TopoErrorKind.NoNode"/>
    /// when nothing was deleted.
    /// </summary>
    Task DeleteAsync(string relativePath, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>The entries of a directory (<see cref="DirectoryListing"/>); <see cref="TopoErrorKind.NoNode"/> when empty.</summary>
    Task<IReadOnlyList<DirEntry>> ListDirAsync(string dir, CancellationToken cancellationToken);

    /// <summary>
    /// Every file whose key starts with <c>{root}/{prefix}</c> (the prefix is joined, then taken literally: pass a
    /// trailing '/' to stay inside a directory), by key ascending, with values. Empty when there are none.
    /// <see cref="TopoErrorKind.ResourceExhausted"/> when the answer is too big for one response (etcd only).
    /// </summary>
    Task<IReadOnlyList<TopoFile>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// The store's current revision: where a watch started after a full read of the present state can begin without
    /// missing a change.
    /// </summary>
    Task<long> CurrentRevisionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The file's current value, then every later value, until the token is cancelled. Ends with
    /// <see cref="TopoErrorKind.NoNode"/> when the file does not exist or is deleted.
    /// </summary>
    IAsyncEnumerable<TopoFile> WatchAsync(string relativePath, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a watch of every key under <c>{root}/{dir}/</c> from <paramref name="startRevision"/> (inclusive).
    /// <see cref="TopoErrorKind.Compacted"/> when that revision is no longer in the store's history.
    /// </summary>
    Task<ITopoDirectoryWatch> WatchDirectoryAsync(string dir, long startRevision, CancellationToken cancellationToken);

    /// <summary>The live entries of the lock queue of <paramref name="resourcePath"/>, oldest (the holder) first.</summary>
    Task<IReadOnlyList<LockEntry>> GetLockQueueAsync(string resourcePath, CancellationToken cancellationToken);

    /// <summary>
    /// Joins the lock queue of <paramref name="resourcePath"/> (an entry <c>{resource}/locks/{leaseId}</c> holding
    /// <paramref name="contents"/>, bound to a lease of <paramref name="ttl"/> that the returned handle keeps alive)
    /// and waits until every older entry is gone. On cancellation (<see cref="TopoErrorKind.Interrupted"/>) or any
    /// other failure the entry is removed before the error surfaces.
    /// </summary>
    Task<LockHandle> AcquireLockAsync(string resourcePath, string contents, TimeSpan ttl, CancellationToken cancellationToken);
}
