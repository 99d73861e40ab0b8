using Vtorc.LocalCluster;
using Vtorc.Reparent.Operations;
using Vtorc.Topo;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.LiveShard;

[NeedsExternalProcess]
public sealed class ShardLockLiveTests(ITestOutputHelper output) : LiveShardTest(output)
{
    private const string HolderAction = "live-shard test operator holding the lock";
    private const string ReleaseMarker = "test: releasing the operator's lock";

    [Fact]
    public async Task A_held_shard_lock_makes_prs_fail_fast_ers_time_out_and_a_queued_prs_run_only_after_release()
    {
        var cluster = await StartClusterAsync();
        var (primary, next) = (cluster[0], cluster[1]);
        await InitShardAsync(primary);
        var holder = await cluster.Topo.Locks.LockShardAsync(Keyspace, Shard, HolderAction, AgentCluster.Deadline());

        var failFast = await Assert.ThrowsAsync<ReparentOperationException>(() => Prs().RunAsync(Keyspace, Shard,
            new PlannedReparentOptions { NewPrimary = next.AliasText, FailIfLocked = true }, Progress(), cancellationToken: AgentCluster.Deadline()));
        Assert.Contains("the lock is held by someone else", failFast.Message);
        Assert.Contains($"held by \"{HolderAction}\"", failFast.Message);

        await using (var shortLocks = TopoServer.Open(new TopoServerOptions
        {
            GlobalServerAddresses = [cluster.Etcd.Endpoint],
            GlobalRoot = cluster.GlobalRoot,
            LockTimeout = TimeSpan.FromSeconds(1),
        }))
        {
            var timedOut = await Assert.ThrowsAsync<ReparentOperationException>(() => Ers(shortLocks).RunAsync(Keyspace, Shard,
                new EmergencyReparentOptions(), Progress(), cancellationToken: AgentCluster.Deadline()));
            Assert.Contains($"cannot lock shard {Keyspace}/{Shard}", timedOut.Message);
            Assert.Contains("timed out waiting for the lock", timedOut.Message);
            Assert.Contains($"held by \"{HolderAction}\"", timedOut.Message);
        }
        await AssertPrimaryAndReplicasAsync(primary);

        var events = new List<ReparentEvent>();
        var queued = Prs().RunAsync(Keyspace, Shard, new PlannedReparentOptions { NewPrimary = next.AliasText, WaitReplicasTimeout = WaitReplicasTimeout },
            Progress(events), cancellationToken: AgentCluster.Deadline(90));
        var path = TopoLocks.ShardPath(Keyspace, Shard);
        await Poll.UntilAsync(async () => (await cluster.Topo.Locks.GetQueueAsync(path, AgentCluster.Deadline())).Count >= 2, TimeSpan.FromSeconds(30),
            "the PRS is queued behind the operator's lock");
        Assert.False(queued.IsCompleted, "PRS finished while the operator held the lock");
        Assert.Equal(primary.AliasText, (await cluster.ShardRecordAsync()).PrimaryAlias?.ToText());

        lock (events)
        {
            events.Add(new ReparentEvent(DateTimeOffset.UtcNow, ReparentPhase.Preparation, ReparentEventKind.Info, ReleaseMarker));
        }
        await holder.UnlockAsync(AgentCluster.Deadline());
        var result = await queued;

        Assert.Equal(next.AliasText, result.NewPrimary);
        string[] order;
        lock (events)
        {
            order = events.Select(e => e.Message).ToArray();
        }
        int locking = Array.FindIndex(order, m => m.StartsWith($"locking shard {Keyspace}/{Shard}", StringComparison.Ordinal));
        int released = Array.IndexOf(order, ReleaseMarker);
        int locked = Array.FindIndex(order, m => m.StartsWith($"locked shard {Keyspace}/{Shard}", StringComparison.Ordinal));
        int firstTabletStep = Array.FindIndex(order, m => m.Contains("primary-elect", StringComparison.Ordinal));
        Assert.True(locking >= 0 && locking < released && released < locked && locked < firstTabletStep,
            $"expected locking < release < locked < election, got: {string.Join(" | ", order)}");
        await AssertPrimaryAndReplicasAsync(next);
    }
}
