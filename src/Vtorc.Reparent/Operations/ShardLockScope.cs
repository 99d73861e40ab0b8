using Vtorc.Topo;

namespace Vtorc.Reparent.Operations;

/// <summary>The shard lock an operation runs under: the caller's (left held on exit) or its own (released on exit).</summary>
internal sealed class ShardLockScope : IAsyncDisposable
{
    private ShardLockScope(LockHandle handle, bool owned)
    {
        Handle = handle;
        Owned = owned;
    }

    public LockHandle Handle { get; }

    public bool Owned { get; }

    public static async Task<ShardLockScope> AcquireAsync(TopoServer topo, string keyspace, string shard, string action, LockHandle? held,
        bool failIfLocked, ReparentEventLog events, CancellationToken cancellationToken)
    {
        if (held is not null)
        {
            events.Emit(ReparentPhase.Preparation, ReparentEventKind.Info, $"using the shard lock already held by the caller ({held.Key})");
            return new ShardLockScope(held, owned: false);
        }
        events.Emit(ReparentPhase.Preparation, ReparentEventKind.Info,
            failIfLocked ? $"locking shard {keyspace}/{shard} (no waiting)" : $"locking shard {keyspace}/{shard}");
        try
        {
            var handle = failIfLocked
                ? await topo.Locks.TryLockShardAsync(keyspace, shard, action, cancellationToken).ConfigureAwait(false)
                : await topo.Locks.LockShardAsync(keyspace, shard, action, cancellationToken).ConfigureAwait(false);
            events.Emit(ReparentPhase.Preparation, ReparentEventKind.Success, $"locked shard {keyspace}/{shard} ({handle.Key})");
            return new ShardLockScope(handle, owned: true);
        }
        catch (TopoException e) when (e.Kind is TopoErrorKind.NodeExists or TopoErrorKind.Timeout)
        {
            string holder = await DescribeHolderAsync(topo, keyspace, shard).ConfigureAwait(false);
            string what = e.Kind == TopoErrorKind.NodeExists
                ? "the lock is held by someone else"
                : $"timed out waiting for the lock ({topo.Options.LockTimeout.TotalSeconds:0.###} s)";
            throw new ReparentOperationException($"cannot lock shard {keyspace}/{shard} for \"{action}\": {what}; {holder}", inner: e);
        }
    }

    /// <summary>The current holder's lock entry in one line: its action, host, user and time.</summary>
    internal static async Task<string> DescribeHolderAsync(TopoServer topo, string keyspace, string shard)
    {
        try
        {
            using var timeout = new CancellationTokenSource(topo.Options.OperationTimeout);
            var queue = await topo.Locks.GetQueueAsync(TopoLocks.ShardPath(keyspace, shard), timeout.Token).ConfigureAwait(false);
            if (queue.Count == 0)
            {
                return "the holder is gone now";
            }
            var entry = queue[0];
            return entry.Descriptor is { } d
                ? $"held by \"{d.Action}\" on host {d.HostName} (user {d.UserName}) since {LockDescriptor.FormatRfc3339(d.Time)} [{entry.Key}]"
                : $"held by {entry.Key}: {entry.Contents.ReplaceLineEndings(" ")}";
        }
        catch (TopoException e)
        {
            return $"the holder could not be read: {e.Message}";
        }
    }

    /// <summary>Before an irreversible step: fail if the lock is gone.</summary>
    public async Task CheckAsync(string step, CancellationToken cancellationToken)
    {
        try
        {
            await Handle.CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TopoException e)
        {
            throw new ReparentOperationException($"lost topology lock, aborting before {step}: {e.Message}", inner: e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Owned)
        {
            await Handle.DisposeAsync().ConfigureAwait(false);
        }
    }
}
