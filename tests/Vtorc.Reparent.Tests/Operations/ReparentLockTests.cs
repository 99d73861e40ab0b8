using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using Vtorc.Topo;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Operations;

/// <summary>The shard lock around the operations: queueing behind a holder, failing fast, reusing the caller's lock.</summary>
public sealed class ReparentLockTests
{
    private const string HolderAction = "VTOrc Recovery for DeadPrimary on zone1-0000000100";
    private static readonly string R101 = TestShard.Alias("zone1", 101);
    private static readonly string R102 = TestShard.Alias("zone1", 102);

    private static string Pos(string range) => $"MySQL56/{UuidA}:{range}";

    private async Task<(TestShard Shard, FakeTabletManager Fake)> TwoReplicasAsync(TimeSpan? lockTimeout = null)
    {
        var shard = await TestShard.CreateAsync(DurabilityPolicyNames.None, lockTimeout);
        await shard.AddTabletAsync("zone1", 101);
        await shard.AddTabletAsync("zone1", 102);
        var fake = new FakeTabletManager();
        fake.StoppedAt(R101, Pos("1-5"), UuidA);
        fake.StoppedAt(R102, Pos("1-4"), UuidA);
        return (shard, fake);
    }

    private static readonly EmergencyReparentOptions WaitAll = new() { WaitForAllTablets = true };

    [Fact]
    public async Task Ers_queues_behind_the_holder_and_runs_once_it_releases()
    {
        var (shard, fake) = await TwoReplicasAsync();
        await using var _ = shard;
        var holder = await shard.Topo.Locks.LockShardAsync(TestShard.Keyspace, TestShard.Shard, HolderAction, TestShard.Deadline());
        var ers = new EmergencyReparentShard(shard.Topo, fake, TestShard.Durability)
            .RunAsync(TestShard.Keyspace, TestShard.Shard, WaitAll, cancellationToken: TestShard.Deadline());

        // ERS is queued once its own entry is in the lock queue behind the holder's.
        var path = TopoLocks.ShardPath(TestShard.Keyspace, TestShard.Shard);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await shard.Topo.Locks.GetQueueAsync(path, TestShard.Deadline())).Count < 2)
        {
            Assert.False(ers.IsCompleted, "ERS finished while the lock was held");
            Assert.True(DateTime.UtcNow < deadline, "ERS never queued for the lock");
            await Task.Delay(TimeSpan.FromMilliseconds(20)); // poll interval, bounded by the deadline above
        }
        Assert.False(ers.IsCompleted);
        Assert.Empty(fake.Calls);

        await holder.UnlockAsync(TestShard.Deadline());
        var result = await ers;

        Assert.Equal(R101, result.NewPrimary);
        Assert.Empty(await shard.Topo.Locks.GetQueueAsync(path, TestShard.Deadline()));
    }

    [Fact]
    public async Task Fail_if_locked_names_the_holder_and_calls_no_tablet()
    {
        var (shard, fake) = await TwoReplicasAsync();
        await using var _ = shard;
        await using var holder = await shard.Topo.Locks.LockShardAsync(TestShard.Keyspace, TestShard.Shard, HolderAction, TestShard.Deadline());

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => new EmergencyReparentShard(shard.Topo, fake, TestShard.Durability)
            .RunAsync(TestShard.Keyspace, TestShard.Shard, WaitAll with { FailIfLocked = true }, cancellationToken: TestShard.Deadline()));

        Assert.Contains("the lock is held by someone else", e.Message);
        Assert.Contains($"held by \"{HolderAction}\" on host {System.Net.Dns.GetHostName()}", e.Message);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Blocking_lock_timeout_names_the_holder()
    {
        var (shard, fake) = await TwoReplicasAsync(lockTimeout: TimeSpan.FromSeconds(1));
        await using var _ = shard;
        await using var holder = await shard.Topo.Locks.LockShardAsync(TestShard.Keyspace, TestShard.Shard, HolderAction, TestShard.Deadline());

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => new PlannedReparentShard(shard.Topo, fake, TestShard.Durability)
            .RunAsync(TestShard.Keyspace, TestShard.Shard, new PlannedReparentOptions(), cancellationToken: TestShard.Deadline()));

        Assert.Contains("timed out waiting for the lock", e.Message);
        Assert.Contains($"held by \"{HolderAction}\"", e.Message);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Uses_the_callers_lock_and_leaves_it_held()
    {
        var (shard, fake) = await TwoReplicasAsync();
        await using var _ = shard;
        await using var held = await shard.Topo.Locks.TryLockShardAsync(TestShard.Keyspace, TestShard.Shard, HolderAction, TestShard.Deadline());
        var events = new EventRecorder();

        var result = await new EmergencyReparentShard(shard.Topo, fake, TestShard.Durability)
            .RunAsync(TestShard.Keyspace, TestShard.Shard, WaitAll, events, held, TestShard.Deadline());

        Assert.Equal(R101, result.NewPrimary);
        await held.CheckAsync(TestShard.Deadline());
        Assert.Single(await shard.Topo.Locks.GetQueueAsync(TopoLocks.ShardPath(TestShard.Keyspace, TestShard.Shard), TestShard.Deadline()));
        Assert.True(events.Has(ReparentEventKind.Info, "using the shard lock already held by the caller"), events.ToString());
    }

    [Fact]
    public async Task A_lost_lock_stops_ers_before_it_promotes()
    {
        var (shard, fake) = await TwoReplicasAsync();
        await using var _ = shard;
        var held = await shard.Topo.Locks.TryLockShardAsync(TestShard.Keyspace, TestShard.Shard, HolderAction, TestShard.Deadline());
        // The lease disappears while ERS waits for relay logs.
        fake.On(R102, "WaitForPosition", async (_, _) =>
        {
            await held.UnlockAsync(TestShard.Deadline());
            return null;
        });

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => new EmergencyReparentShard(shard.Topo, fake, TestShard.Durability)
            .RunAsync(TestShard.Keyspace, TestShard.Shard, WaitAll, heldLock: held, cancellationToken: TestShard.Deadline()));

        Assert.StartsWith("lost topology lock, aborting", e.Message);
        Assert.Empty(fake.CallsTo("PromoteReplica"));
        Assert.Equal([R101, R102], fake.CallsTo("StartReplication").Select(c => c.Alias).Order().ToArray());
    }
}
