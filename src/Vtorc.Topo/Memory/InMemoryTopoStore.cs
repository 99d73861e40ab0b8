using System.Globalization;
using Google.Protobuf;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// One in-memory key-value store with the semantics of an etcd server as the topology uses it: a store revision that
/// every write moves on (a key's version is the revision of its last write, as etcd's <c>mod_revision</c>), the history
/// of every change for watches, and leases whose keys disappear when they are revoked or expire. Expiry follows the
/// <see cref="TimeProvider"/> of its <see cref="InMemoryTopoFactory"/>. Thread-safe: one lock guards everything, and
/// nothing the store wakes (watchers, lock waiters, lost-lock tokens) runs under it.
/// </summary>
/// <remarks>
/// The public members are test hooks: they do to the store what another client of a real etcd could do (write a key
/// bound to a lease, revoke a lease, let a lease lapse). Keys here are full keys (root included).
/// </remarks>
internal sealed class InMemoryTopoStore
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly SortedDictionary<string, StoredValue> _keys = new(StringComparer.Ordinal);
    private readonly List<TopoChange> _history = [];
    private readonly Dictionary<long, InMemoryLease> _leases = [];
    private readonly List<InMemoryWatcher> _watchers = [];
    // etcd's revision of an empty store is 1; the first write is revision 2.
    private long _revision = 1;
    private long _lastLeaseId = 0x7000;

    internal InMemoryTopoStore(string serverAddress, TimeProvider time)
    {
        ServerAddress = serverAddress;
        _time = time;
    }

    /// <summary>The name cells' CellInfo records give as their server_address to reach this store.</summary>
    public string ServerAddress { get; }

    /// <summary>The current store revision.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="key"/> (a full key) unconditionally, bound to <paramref name="leaseId"/> unless 0, as any
    /// etcd client may (a vtctld lock entry, a record another tool wrote); returns its version.
    /// <see cref="TopoErrorKind.NoNode"/> when the lease does not exist.
    /// </summary>
    public long Put(string key, ByteString value, long leaseId = 0)
    {
        lock (_gate)
        {
            return WriteLocked(key, value, leaseId);
        }
    }

    /// <inheritdoc cref="Put(string, ByteString, long)"/>
    public long Put(string key, string value, long leaseId = 0) => Put(key, ByteString.CopyFromUtf8(value), leaseId);

    /// <summary>
    /// A lease of <paramref name="ttl"/> that nobody renews (a contender that crashed, or another implementation's
    /// entry): it expires, with its keys, one TTL from now on the factory's clock unless renewed or revoked.
    /// </summary>
    public long GrantLease(TimeSpan ttl) => GrantLease(ttl, keptAlive: false).Id;

    /// <summary>
    /// Revokes a lease as any etcd client may: its keys are deleted (one revision), and a lock held under it is lost
    /// (its handle's <see cref="LockHandle.Lost"/> completes, its <see cref="LockHandle.LostToken"/> is cancelled).
    /// False when the lease does not exist.
    /// </summary>
    public bool RevokeLease(long leaseId) => EndLease(leaseId, "lease revoked", released: false);

    /// <summary>
    /// The continuous renewals of a held lock's lease stop reaching the store (its holder is partitioned away or dead):
    /// it expires one TTL from now on the factory's clock, and the holder counts the lock lost. A
    /// <see cref="LockHandle.CheckAsync"/> before then still renews it once, as a renewal that gets through would.
    /// False when the lease does not exist.
    /// </summary>
    public bool StopRenewing(long leaseId)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue(leaseId, out var lease))
            {
                return false;
            }

            lease.KeptAlive = false;
            ScheduleExpiryLocked(lease);
            return true;
        }
    }

    // ---- what the connections use ----

    internal TopoFile? Get(string key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var stored) ? stored.ToFile(key) : null;
        }
    }

    internal long Create(string key, ByteString value, long leaseId = 0)
    {
        lock (_gate)
        {
            if (_keys.ContainsKey(key))
            {
                throw TopoException.NodeExists(key);
            }

            return WriteLocked(key, value, leaseId);
        }
    }

    internal long Update(string key, ByteString value, long? expectedVersion)
    {
        lock (_gate)
        {
            if (expectedVersion is { } expected && !(_keys.TryGetValue(key, out var stored) && stored.ModRevision == expected))
            {
                throw TopoException.BadVersion(key, expected);
            }

            return WriteLocked(key, value, 0);
        }
    }

    internal void Delete(string key, long? expectedVersion)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(key, out var stored))
            {
                throw TopoException.NoNode(key);
            }

            if (expectedVersion is { } expected && stored.ModRevision != expected)
            {
                throw TopoException.BadVersion(key, expected);
            }

            DeleteLocked([key]);
        }
    }

    /// <summary>Every key starting with <paramref name="prefix"/>, by key.</summary>
    internal IReadOnlyList<TopoFile> Range(string prefix)
    {
        lock (_gate)
        {
            return [.. Under(prefix).Select(kv => kv.Value.ToFile(kv.Key))];
        }
    }

    /// <summary>The entries under a lock queue's prefix, oldest first.</summary>
    internal IReadOnlyList<LockEntry> LockQueue(string queuePrefix)
    {
        lock (_gate)
        {
            return [.. Under(queuePrefix).OrderBy(kv => kv.Value.CreateRevision)
                .Select(kv => new LockEntry(kv.Key, kv.Value.Lease, kv.Value.CreateRevision, kv.Value.Value.ToStringUtf8()))];
        }
    }

    /// <summary>
    /// The watch of a key or prefix from <paramref name="startRevision"/>: the recorded changes since then at once, then
    /// every new one.
    /// </summary>
    internal InMemoryWatcher Watch(string key, bool isPrefix, long startRevision)
    {
        var watcher = new InMemoryWatcher(this, key, isPrefix);
        lock (_gate)
        {
            // The history is in revision order: start at the first change at or after the start revision.
            int low = 0, high = _history.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (_history[middle].Revision < startRevision)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            foreach (var batch in _history.Skip(low).GroupBy(c => c.Revision))
            {
                watcher.Deliver([.. batch]);
            }

            _watchers.Add(watcher);
        }

        return watcher;
    }

    /// <summary>A key's current value and the watch of its later changes, from one look at the store.</summary>
    internal (TopoFile? Current, InMemoryWatcher Watcher) WatchKey(string key)
    {
        lock (_gate)
        {
            return (Get(key), Watch(key, isPrefix: false, _revision + 1));
        }
    }

    /// <summary>
    /// Null when no entry under <paramref name="queuePrefix"/> is older than <paramref name="created"/>; otherwise a
    /// watch of the queue from now, to look again after its next change.
    /// </summary>
    internal InMemoryWatcher? WatchOlderEntries(string queuePrefix, long created)
    {
        lock (_gate)
        {
            return Under(queuePrefix).Any(kv => kv.Value.CreateRevision < created) ? Watch(queuePrefix, isPrefix: true, _revision + 1) : null;
        }
    }

    internal void Unwatch(InMemoryWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    internal InMemoryLease GrantLease(TimeSpan ttl, bool keptAlive)
    {
        lock (_gate)
        {
            var lease = new InMemoryLease(++_lastLeaseId, ttl, keptAlive);
            _leases[lease.Id] = lease;
            if (!keptAlive)
            {
                ScheduleExpiryLocked(lease);
            }

            return lease;
        }
    }

    /// <summary>One renewal (etcd's keepalive): false when the lease is gone.</summary>
    internal bool RenewLease(long leaseId)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue(leaseId, out var lease))
            {
                return false;
            }

            if (!lease.KeptAlive)
            {
                ScheduleExpiryLocked(lease);
            }

            return true;
        }
    }

    /// <summary>
    /// Ends a lease and deletes its keys. <paramref name="released"/>: its holder lets it go, which is not a loss (its
    /// <see cref="InMemoryLease.LostSource"/> is cancelled instead). False when the lease was already gone.
    /// </summary>
    internal bool EndLease(long leaseId, string reason, bool released)
    {
        InMemoryLease? lease;
        var lost = false;
        lock (_gate)
        {
            if (released && _leases.GetValueOrDefault(leaseId) is { } held)
            {
                held.Released = true;
                held.LostSource.TrySetCanceled();
            }

            if (!_leases.Remove(leaseId, out lease))
            {
                return false;
            }

            lease.Expiry?.Dispose();
            DeleteLocked([.. lease.Keys.Where(_keys.ContainsKey)]);
            if (!lease.Released)
            {
                lost = lease.LostSource.TrySetResult(new LeaseLoss(leaseId, reason, null));
            }
        }

        if (lost)
        {
            // Outside the lock: cancellation runs the callbacks of whoever linked to the token.
            lease.LostCancellation.Cancel();
        }

        return true;
    }

    private void ScheduleExpiryLocked(InMemoryLease lease)
    {
        lease.ExpiresAt = _time.GetUtcNow() + lease.Ttl;
        lease.Expiry?.Dispose();
        lease.Expiry = _time.CreateTimer(_ => Expire(lease), null, lease.Ttl, Timeout.InfiniteTimeSpan);
    }

    private void Expire(InMemoryLease lease)
    {
        lock (_gate)
        {
            // A renewal after this timer was set moved the expiry on.
            if (lease.KeptAlive || _time.GetUtcNow() < lease.ExpiresAt || !_leases.ContainsKey(lease.Id))
            {
                return;
            }
        }

        EndLease(lease.Id, $"lease expired: no renewal within its TTL of {lease.Ttl.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
            released: false);
    }

    private IEnumerable<KeyValuePair<string, StoredValue>> Under(string prefix) =>
        _keys.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal));

    private long WriteLocked(string key, ByteString value, long leaseId)
    {
        InMemoryLease? lease = null;
        if (leaseId != 0 && !_leases.TryGetValue(leaseId, out lease))
        {
            throw new TopoException(TopoErrorKind.NoNode, key, $"cannot write {key}: lease {leaseId} not found");
        }

        var revision = ++_revision;
        var created = revision;
        if (_keys.TryGetValue(key, out var previous))
        {
            created = previous.CreateRevision;
            if (previous.Lease != 0 && _leases.TryGetValue(previous.Lease, out var previousLease))
            {
                previousLease.Keys.Remove(key);
            }
        }

        lease?.Keys.Add(key);
        _keys[key] = new StoredValue(value, created, revision, leaseId);
        Record([new TopoChange(key, value, revision, leaseId)]);
        return revision;
    }

    /// <summary>Deletes the keys in one revision (none: no revision).</summary>
    private void DeleteLocked(IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var revision = ++_revision;
        var changes = new List<TopoChange>(keys.Count);
        foreach (var key in keys)
        {
            var stored = _keys[key];
            _keys.Remove(key);
            if (stored.Lease != 0 && _leases.TryGetValue(stored.Lease, out var lease))
            {
                lease.Keys.Remove(key);
            }

            changes.Add(new TopoChange(key, null, revision, 0));
        }

        Record(changes);
    }

    private void Record(IReadOnlyList<TopoChange> changes)
    {
        _history.AddRange(changes);
        foreach (var watcher in _watchers)
        {
            watcher.Deliver(changes);
        }
    }

    private sealed record StoredValue(ByteString Value, long CreateRevision, long ModRevision, long Lease)
    {
        public TopoFile ToFile(string key) => new(key, Value, ModRevision, Lease);
    }
}
