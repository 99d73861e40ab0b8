using System.Collections.Concurrent;
using Google.Protobuf;
using Topodata;
using static Vtorc.Topo.Tests.Etcd.TestTopo;

namespace Vtorc.Topo.Tests.Contract;

/// <summary>
/// The semantics every <see cref="ITopoConnection"/> must honour, run against etcd (<see cref="EtcdTopoContractTests"/>)
/// and memory (<see cref="InMemoryTopoContractTests"/>): versioned files, directory listings, watches, and the lock
/// queue (docs/architecture.md, "The topology behind an interface").
/// </summary>
public abstract class TopoContractTests
{
    private const string Keyspace = "ks";
    private const string Shard = "0";
    private static readonly string ShardPath = TopoLocks.ShardPath(Keyspace, Shard);

    protected abstract Task<ContractTopo> OpenAsync();

    private static ByteString Text(string value) => ByteString.CopyFromUtf8(value);

    private async Task<ContractTopo> OpenWithShardAsync()
    {
        var topo = await OpenAsync();
        await topo.Server.Keyspaces.CreateAsync(Keyspace, new Keyspace(), Timeout());
        await topo.Server.Shards.CreateAsync((Keyspace, Shard), new Shard(), Timeout());
        return topo;
    }

    private static Task<IReadOnlyList<LockEntry>> WaitForQueueAsync(ContractTopo topo, int count) =>
        LockQueueWait.ForCountAsync(topo.Server, ShardPath, count);

    private static async Task<IReadOnlyList<string>> QueueKeysAsync(ContractTopo topo) =>
        [.. (await topo.Server.Locks.GetQueueAsync(ShardPath, Timeout())).Select(e => e.Key)];

    // ---- files and versions ----

    [Fact]
    public async Task A_created_file_reads_back_with_its_version_and_a_missing_one_is_NoNode()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;

        var version = await global.CreateAsync("contract/file", Text("one"), Timeout());
        var file = await global.GetAsync("contract/file", Timeout());

        Assert.Equal(global.KeyOf("contract/file"), file.Key);
        Assert.Equal("one", file.Value.ToStringUtf8());
        Assert.Equal(version, file.Version);
        Assert.Equal(0, file.Lease);
        Assert.Null(await global.TryGetAsync("contract/missing", Timeout()));
        var e = await Assert.ThrowsAsync<TopoException>(() => global.GetAsync("contract/missing", Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, e.Kind);
        Assert.Equal(global.KeyOf("contract/missing"), e.Key);
    }

    [Fact]
    public async Task Creating_an_existing_file_fails_with_NodeExists_and_leaves_it_unchanged()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;
        var version = await global.CreateAsync("contract/file", Text("one"), Timeout());

        var e = await Assert.ThrowsAsync<TopoException>(() => global.CreateAsync("contract/file", Text("two"), Timeout()));

        Assert.Equal(TopoErrorKind.NodeExists, e.Kind);
        Assert.Equal(global.KeyOf("contract/file"), e.Key);
        var file = await global.GetAsync("contract/file", Timeout());
        Assert.Equal(("one", version), (file.Value.ToStringUtf8(), file.Version));
    }

    [Fact]
    public async Task Every_write_moves_the_version_on_and_a_stale_version_fails_with_BadVersion()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;
        var created = await global.CreateAsync("contract/file", Text("one"), Timeout());

        var updated = await global.UpdateAsync("contract/file", Text("two"), created, Timeout());
        var put = await global.UpdateAsync("contract/file", Text("two"), null, Timeout());
        var stale = await Assert.ThrowsAsync<TopoException>(() => global.UpdateAsync("contract/file", Text("three"), created, Timeout()));
        var missing = await Assert.ThrowsAsync<TopoException>(() => global.UpdateAsync("contract/nothing", Text("x"), updated, Timeout()));

        Assert.True(updated > created, $"update {updated} after create {created}");
        Assert.True(put > updated, $"an unconditional write of the same value {put} after {updated}");
        Assert.Equal(TopoErrorKind.BadVersion, stale.Kind);
        Assert.Equal(TopoErrorKind.BadVersion, missing.Kind);
        var file = await global.GetAsync("contract/file", Timeout());
        Assert.Equal(("two", put), (file.Value.ToStringUtf8(), file.Version));
        Assert.True(await global.CurrentRevisionAsync(Timeout()) >= put);
    }

    [Fact]
    public async Task An_unconditional_write_creates_a_missing_file()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;

        var version = await global.UpdateAsync("contract/file", Text("made"), null, Timeout());

        var file = await global.GetAsync("contract/file", Timeout());
        Assert.Equal(("made", version), (file.Value.ToStringUtf8(), file.Version));
    }

    [Fact]
    public async Task Delete_honours_the_version_and_a_missing_file_is_NoNode()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;
        var v1 = await global.CreateAsync("contract/file", Text("one"), Timeout());
        var v2 = await global.UpdateAsync("contract/file", Text("two"), v1, Timeout());

        var stale = await Assert.ThrowsAsync<TopoException>(() => global.DeleteAsync("contract/file", v1, Timeout()));
        Assert.Equal(TopoErrorKind.BadVersion, stale.Kind);
        await global.DeleteAsync("contract/file", v2, Timeout());

        Assert.Null(await global.TryGetAsync("contract/file", Timeout()));
        var versioned = await Assert.ThrowsAsync<TopoException>(() => global.DeleteAsync("contract/file", v2, Timeout()));
        var plain = await Assert.ThrowsAsync<TopoException>(() => global.DeleteAsync("contract/file", null, Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, versioned.Kind);
        Assert.Equal(TopoErrorKind.NoNode, plain.Kind);
    }

    [Fact]
    public async Task A_cancelled_call_fails_with_Interrupted()
    {
        await using var topo = await OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Global.CreateAsync("contract/file", Text("x"), cancelled.Token));

        Assert.Equal(TopoErrorKind.Interrupted, e.Kind);
        Assert.Null(await topo.Server.Global.TryGetAsync("contract/file", Timeout()));
    }

    // ---- directories ----

    [Fact]
    public async Task ListDir_names_files_and_subdirectories_once_and_an_empty_directory_is_NoNode()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;
        await global.CreateAsync("dir/b", Text("b"), Timeout());
        await global.CreateAsync("dir/a/x", Text("ax"), Timeout());
        await global.CreateAsync("dir/a/y", Text("ay"), Timeout());
        await global.CreateAsync("dir-sibling/c", Text("c"), Timeout());

        var entries = await global.ListDirAsync("dir", Timeout());
        var empty = await Assert.ThrowsAsync<TopoException>(() => global.ListDirAsync("nothing", Timeout()));

        Assert.Equal([new DirEntry("a", true, false), new DirEntry("b", false, false)], entries);
        Assert.Equal(TopoErrorKind.NoNode, empty.Kind);
        Assert.Empty(await global.ListDirOrEmptyAsync("nothing", Timeout()));
    }

    [Fact]
    public async Task List_returns_every_file_under_a_prefix_by_key_with_values_and_versions()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;
        var vb = await global.CreateAsync("dir/b", Text("b"), Timeout());
        var vax = await global.CreateAsync("dir/a/x", Text("ax"), Timeout());
        await global.CreateAsync("dir-sibling/c", Text("c"), Timeout());

        var files = await global.ListAsync("dir/", Timeout());

        Assert.Equal([(global.KeyOf("dir/a/x"), "ax", vax), (global.KeyOf("dir/b"), "b", vb)],
            files.Select(f => (f.Key, f.Value.ToStringUtf8(), f.Version)));
        Assert.Empty(await global.ListAsync("nothing/", Timeout()));
    }

    [Fact]
    public async Task Cells_have_connections_of_their_own_that_do_not_see_the_global_files()
    {
        await using var topo = await OpenAsync();
        var zone1 = await topo.Server.ConnForCellAsync("zone1", Timeout());
        await topo.Server.Global.CreateAsync("contract/file", Text("global"), Timeout());

        await zone1.CreateAsync("contract/file", Text("zone1"), Timeout());

        Assert.Equal("zone1", zone1.Cell);
        Assert.Equal("zone1", (await zone1.GetAsync("contract/file", Timeout())).Value.ToStringUtf8());
        Assert.Equal("global", (await topo.Server.Global.GetAsync("contract/file", Timeout())).Value.ToStringUtf8());
        Assert.Equal(["zone1", "zone2"], await topo.Server.GetCellNamesAsync(Timeout()));
        var unknown = await Assert.ThrowsAsync<TopoException>(() => topo.Server.ConnForCellAsync("zone9", Timeout()));
        Assert.Equal(TopoErrorKind.NoNode, unknown.Kind);
    }

    // ---- watches ----

    [Fact]
    public async Task A_file_watch_delivers_the_current_value_then_every_change_and_ends_with_NoNode_on_delete()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;
        var v1 = await global.CreateAsync("contract/watched", Text("one"), Timeout());
        await using var watch = global.WatchAsync("contract/watched", Timeout()).GetAsyncEnumerator();

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("one", v1), (watch.Current.Value.ToStringUtf8(), watch.Current.Version));
        var v2 = await global.UpdateAsync("contract/watched", Text("two"), v1, Timeout());
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("two", v2), (watch.Current.Value.ToStringUtf8(), watch.Current.Version));
        var v3 = await global.UpdateAsync("contract/watched", Text("three"), null, Timeout());
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("three", v3), (watch.Current.Value.ToStringUtf8(), watch.Current.Version));
        await global.DeleteAsync("contract/watched", null, Timeout());

        var e = await Assert.ThrowsAsync<TopoException>(async () => await watch.MoveNextAsync());
        Assert.Equal(TopoErrorKind.NoNode, e.Kind);
        Assert.Equal(global.KeyOf("contract/watched"), e.Key);
    }

    [Fact]
    public async Task Watching_a_missing_file_fails_with_NoNode()
    {
        await using var topo = await OpenAsync();
        await using var watch = topo.Server.Global.WatchAsync("contract/missing", Timeout()).GetAsyncEnumerator();

        var e = await Assert.ThrowsAsync<TopoException>(async () => await watch.MoveNextAsync());

        Assert.Equal(TopoErrorKind.NoNode, e.Kind);
    }

    [Fact]
    public async Task A_directory_watch_from_a_revision_delivers_the_changes_under_the_directory_since_then_in_order()
    {
        await using var topo = await OpenAsync();
        var global = topo.Server.Global;
        await global.CreateAsync("watched/before", Text("old"), Timeout());
        var start = await global.CurrentRevisionAsync(Timeout()) + 1;
        var created = await global.CreateAsync("watched/a/x", Text("ax"), Timeout());
        await global.CreateAsync("watched-sibling/y", Text("not ours"), Timeout());
        var updated = await global.UpdateAsync("watched/a/x", Text("ax2"), created, Timeout());
        await global.DeleteAsync("watched/before", null, Timeout());

        await using var watch = await global.WatchDirectoryAsync("watched", start, Timeout());
        var changes = new List<TopoChange>();
        while (changes.Count < 3)
        {
            var batch = await watch.ReadAsync(Timeout());
            Assert.NotNull(batch);
            changes.AddRange(batch);
        }

        Assert.Equal(global.KeyOf("watched") + "/", watch.Prefix);
        Assert.Equal([global.KeyOf("watched/a/x"), global.KeyOf("watched/a/x"), global.KeyOf("watched/before")], changes.Select(c => c.Key));
        Assert.Equal(["ax", "ax2", null], changes.Select(c => c.Value?.ToStringUtf8()));
        Assert.Equal([created, updated], changes.Take(2).Select(c => c.Revision));
        Assert.True(changes[2].IsDelete);
        Assert.True(changes[2].Revision > updated, $"deletion at {changes[2].Revision} after the update at {updated}");

        // And a change made while the watch is open.
        var later = await global.CreateAsync("watched/later", Text("new"), Timeout());
        var next = await watch.ReadAsync(Timeout());
        Assert.Equal([(global.KeyOf("watched/later"), later)], next!.Select(c => (c.Key, c.Revision)));
    }

    // ---- locks ----

    [Fact]
    public async Task A_held_lock_excludes_a_second_locker_until_it_is_released()
    {
        await using var topo = await OpenWithShardAsync();
        var holder = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "holder", Timeout());
        var events = new ConcurrentQueue<string>();
        var waiter = Task.Run(async () =>
        {
            var handle = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "waiter", Timeout());
            events.Enqueue("waiter acquired");
            return handle;
        });
        await WaitForQueueAsync(topo, 2);
        Assert.False(waiter.IsCompleted);

        events.Enqueue("holder releasing");
        await holder.UnlockAsync(Timeout());
        await using var acquired = await waiter;

        Assert.Equal(["holder releasing", "waiter acquired"], events);
        Assert.True(acquired.Entry.Revision > holder.Entry.Revision);
        Assert.Equal([acquired.Key], await QueueKeysAsync(topo));
        await acquired.CheckAsync(Timeout());
    }

    [Fact]
    public async Task The_queue_entry_is_named_by_its_lease_under_the_resources_locks_and_holds_the_descriptor()
    {
        await using var topo = await OpenWithShardAsync();
        var time = new DateTimeOffset(2026, 8, 19, 10, 48, 52, TimeSpan.FromHours(2));

        await using var held = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "VTOrc Recovery for DeadPrimary", Timeout(),
            new LockOptions { Time = time });

        var queue = await topo.Server.Locks.GetQueueAsync(ShardPath, Timeout());
        var entry = Assert.Single(queue);
        Assert.Equal(topo.Server.Global.KeyOf($"keyspaces/ks/shards/0/locks/{held.LeaseId}"), entry.Key);
        Assert.Equal(held.LeaseId, entry.LeaseId);
        Assert.Equal(held.Entry.Revision, entry.Revision);
        Assert.Equal(LockDescriptor.ForThisProcess("VTOrc Recovery for DeadPrimary", time).ToJson(), entry.Contents);
        Assert.Equal("VTOrc Recovery for DeadPrimary", entry.Descriptor?.Action);
        var listing = await topo.Server.Global.ListDirAsync(ShardPath, Timeout());
        Assert.Contains(new DirEntry(TopoPaths.LocksDir, true, true), listing);
    }

    [Fact]
    public async Task TryLock_fails_at_once_with_NodeExists_naming_the_holder_and_takes_a_free_lock()
    {
        await using var topo = await OpenWithShardAsync();
        var held = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "PlannedReparentShard(ks/0)", Timeout());

        var e = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Locks.TryLockShardAsync(Keyspace, Shard, "VTOrc Recovery", Timeout()));

        Assert.Equal(TopoErrorKind.NodeExists, e.Kind);
        Assert.Contains($"lock already exists at path {topo.Server.Global.KeyOf(ShardPath)}", e.Message);
        Assert.Contains(held.Key, e.Message);
        Assert.Contains("PlannedReparentShard(ks/0)", e.Message);
        Assert.Equal([held.Key], await QueueKeysAsync(topo));

        await held.UnlockAsync(Timeout());
        await using var taken = await topo.Server.Locks.TryLockShardAsync(Keyspace, Shard, "VTOrc Recovery", Timeout());
        Assert.Equal([taken.Key], await QueueKeysAsync(topo));
    }

    [Fact]
    public async Task Waiters_acquire_in_the_order_they_queued()
    {
        await using var topo = await OpenWithShardAsync();
        var holder = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "first", Timeout());
        var order = new ConcurrentQueue<string>();
        var waiters = new List<Task>();
        foreach (var name in new[] { "A", "B", "C" })
        {
            waiters.Add(Task.Run(async () =>
            {
                await using var handle = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, name, Timeout());
                order.Enqueue(name);
            }));
            await WaitForQueueAsync(topo, waiters.Count + 1);
        }

        await holder.UnlockAsync(Timeout());
        await Task.WhenAll(waiters);

        Assert.Equal(["A", "B", "C"], order);
        Assert.Empty(await QueueKeysAsync(topo));
    }

    [Fact]
    public async Task Unlock_removes_the_entry_a_second_unlock_is_a_no_op_and_Check_then_fails_with_LockLost()
    {
        await using var topo = await OpenWithShardAsync();
        var handle = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "short", Timeout());
        await handle.CheckAsync(Timeout());

        await handle.UnlockAsync(Timeout());
        await handle.UnlockAsync(Timeout());

        Assert.Empty(await QueueKeysAsync(topo));
        var e = await Assert.ThrowsAsync<TopoException>(() => handle.CheckAsync(Timeout()));
        Assert.Equal(TopoErrorKind.LockLost, e.Kind);
        Assert.False(handle.IsLost);
    }

    [Fact]
    public async Task An_entry_whose_lease_is_not_renewed_holds_the_lock_until_its_ttl_lapses()
    {
        await using var topo = await OpenWithShardAsync();
        // Long enough for the waiter to queue on a loaded machine before etcd expires the lease.
        var ttl = TimeSpan.FromSeconds(5);
        var foreignKey = topo.Server.Global.KeyOf(TopoPaths.LockQueue(ShardPath)) + "/foreign";
        await topo.PutUnrenewedLockEntryAsync(foreignKey, "{\n  \"Action\": \"EmergencyReparentShard\"\n}", ttl);

        var tried = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Locks.TryLockShardAsync(Keyspace, Shard, "vtorc", Timeout()));
        Assert.Equal(TopoErrorKind.NodeExists, tried.Kind);
        Assert.Contains("EmergencyReparentShard", tried.Message);
        var waiter = topo.Server.Locks.LockShardAsync(Keyspace, Shard, "vtorc", Timeout(), new LockOptions { Timeout = TimeSpan.FromSeconds(60) });
        await WaitForQueueAsync(topo, 2);
        Assert.False(waiter.IsCompleted);

        topo.Pass(ttl);
        await using var handle = await waiter.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([handle.Key], await QueueKeysAsync(topo));
    }

    [Fact]
    public async Task A_lease_revoked_behind_the_holders_back_is_a_lost_lock()
    {
        await using var topo = await OpenWithShardAsync();
        await using var handle = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "victim", Timeout());

        await topo.RevokeLeaseAsync(handle.LeaseId);

        var e = await Assert.ThrowsAsync<TopoException>(() => handle.CheckAsync(Timeout()));
        Assert.Equal(TopoErrorKind.LockLost, e.Kind);
        Assert.Contains(handle.Key, e.Message);
        var loss = await handle.Lost.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(handle.LeaseId, loss.LeaseId);
        Assert.True(handle.LostToken.IsCancellationRequested);
        Assert.Empty(await QueueKeysAsync(topo));
        var unlock = await Assert.ThrowsAsync<TopoException>(() => handle.UnlockAsync(Timeout()));
        Assert.Equal(TopoErrorKind.LockLost, unlock.Kind);
    }

    [Fact]
    public async Task A_lock_not_acquired_within_its_timeout_fails_with_Timeout_and_leaves_no_entry()
    {
        await using var topo = await OpenWithShardAsync();
        await using var holder = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "holder", Timeout());
        var timeout = TimeSpan.FromSeconds(1);

        // Etcd's clock runs on its own; in memory the entry is queued before the call returns.
        var late = topo.Server.Locks.LockShardAsync(Keyspace, Shard, "late", Timeout(), new LockOptions { Timeout = timeout });
        topo.Pass(timeout);

        var e = await Assert.ThrowsAsync<TopoException>(() => late.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(TopoErrorKind.Timeout, e.Kind);
        Assert.Contains("could not acquire the lock", e.Message);
        Assert.Equal([holder.Key], await QueueKeysAsync(topo));
    }

    [Fact]
    public async Task Cancelling_a_waiting_lock_fails_it_with_Interrupted_and_removes_its_entry()
    {
        await using var topo = await OpenWithShardAsync();
        await using var holder = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "holder", Timeout());
        using var cancel = new CancellationTokenSource();
        var waiter = topo.Server.Locks.LockShardAsync(Keyspace, Shard, "impatient", cancel.Token);
        await WaitForQueueAsync(topo, 2);

        await cancel.CancelAsync();

        var e = await Assert.ThrowsAsync<TopoException>(() => waiter);
        Assert.Equal(TopoErrorKind.Interrupted, e.Kind);
        Assert.Equal([holder.Key], await QueueKeysAsync(topo));
    }

    [Fact]
    public async Task Locking_a_shard_that_does_not_exist_fails_with_NoNode_and_keyspace_and_shard_locks_are_independent()
    {
        await using var topo = await OpenWithShardAsync();

        var missing = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Locks.LockShardAsync(Keyspace, "-80", "x", Timeout()));
        await using var shardLock = await topo.Server.Locks.LockShardAsync(Keyspace, Shard, "shard", Timeout());
        await using var keyspaceLock = await topo.Server.Locks.TryLockKeyspaceAsync(Keyspace, "keyspace", Timeout());
        var again = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Locks.TryLockKeyspaceAsync(Keyspace, "again", Timeout()));

        Assert.Equal(TopoErrorKind.NoNode, missing.Kind);
        Assert.Contains("/keyspaces/ks/shards/-80", missing.Message);
        Assert.Equal(topo.Server.Global.KeyOf($"keyspaces/ks/locks/{keyspaceLock.LeaseId}"), keyspaceLock.Key);
        Assert.Equal(TopoErrorKind.NodeExists, again.Kind);
    }
}
