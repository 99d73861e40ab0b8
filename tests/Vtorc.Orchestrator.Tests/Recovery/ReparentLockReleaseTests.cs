using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// The shard lock of an emergency reparent run by the pipeline is released once the reparent is decided, not when the
/// slowest replica is repointed (docs/reliability.md, "The shard lock is released once the reparent is decided"). The
/// in-memory topology (the lock), fake tablets, and the pipeline's fake clock driving the settle bound.
/// </summary>
public sealed class ReparentLockReleaseTests
{
    private const string UuidA = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    private static readonly string P = ShardScenario.AliasOf(100);
    private static readonly string R1 = ShardScenario.AliasOf(101);
    private static readonly string R2 = ShardScenario.AliasOf(102);
    private static readonly string R3 = ShardScenario.AliasOf(103);

    private static string Pos(string range) => $"MySQL56/{UuidA}:{range}";

    [Fact]
    public async Task The_shard_lock_is_free_after_the_promotion_while_a_replicas_repoint_still_hangs()
    {
        var shard = ThreeTabletShard.Healthy();
        shard.Replica(103);
        shard.Unreachable(P).StopReplication(R1).StopReplication(R2).StopReplication(R3);
        // A wait-replicas-timeout far beyond the test's deadline: only the settle bound can end the hung repoint.
        var settings = RecoverySettings.Default with { WaitReplicasTimeout = TimeSpan.FromMinutes(30), ReplicaSettleTimeout = TimeSpan.FromSeconds(5) };
        await using var h = await PipelineHarness.CreateAsync(shard, settings: settings, registerTablets: true);
        Assert.Equal(C.DeadPrimary, h.State.AnalysisOf(P).Analysis);
        h.Tablets.Unreachable(P);
        h.Tablets.StoppedAt(R1, Pos("1-10"), UuidA);
        h.Tablets.StoppedAt(R2, Pos("1-8"), UuidA);
        h.Tablets.StoppedAt(R3, Pos("1-9"), UuidA);
        var hung = new RpcGate();
        h.Tablets.On(R2, "SetReplicationSource", hung.PassAsync);

        var recovery = h.ExecuteAsync(P);
        await hung.Entered.WaitAsync(PipelineHarness.Deadline());
        // The settle bound runs on the pipeline's clock: move it on until the lock is gone.
        await Poll.UntilAsync(async () =>
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            return (await h.LockQueueAsync()).Count == 0;
        }, TimeSpan.FromSeconds(60), "the shard lock was released");

        Assert.False(hung.Released);
        Assert.Equal([R1], h.Tablets.CallsTo("PromoteReplica").Select(c => c.Alias));
        Assert.Equal([R1], h.Tablets.CallsTo("PopulateReparentJournal").Select(c => c.Alias));
        var other = await h.Topo.Locks.TryLockShardAsync(ShardScenario.Keyspace, ShardScenario.Shard, "another reparent", PipelineHarness.Deadline());
        await other.UnlockAsync(PipelineHarness.Deadline());

        var result = await recovery.WaitAsync(PipelineHarness.Deadline());
        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(R1, result.PromotedAlias);
        var steps = Assert.Single(h.History.Recoveries).Steps;
        Assert.Contains(steps, s => s.Contains($"repointed {R3} to {R1}", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Contains("cancelled so that none lands after the shard lock is released", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Contains($"could not repoint {R2} to {R1}", StringComparison.Ordinal));
    }
}
