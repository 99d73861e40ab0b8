using Topodata;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// The daemon on a real shard, each test with its own cluster: it elects a primary for a fresh shard, fails over when
/// the primary's mysqld is SIGKILLed, leaves a keyspace without durability policy alone, and two daemons perform one
/// recovery between them.
/// </summary>
[NeedsExternalProcess]
public sealed class DaemonRecoveryLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Fresh_shard_without_a_primary_gets_one_elected()
    {
        Assert.Null(await Live.TopoPrimaryAsync());
        var daemon = await Live.StartDaemonAsync();

        var primary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "the daemon elected a primary that every replica follows");

        Assert.Equal(TabletType.Primary, (await primary.TabletRecordAsync()).Type);
        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.ClusterHasNoPrimary, RecoveryDeadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        Assert.Equal(primary.AliasText, recovery.SuccessorAlias);
    }

    [Fact]
    public async Task Primary_mysqld_killed_a_replica_is_promoted_and_the_other_follows_it()
    {
        var daemon = await Live.StartDaemonAsync();
        var oldPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "the daemon elected a first primary");
        await LiveTestTable.CreateAsync(oldPrimary);
        await oldPrimary.ExecuteAsync("INSERT INTO test.t VALUES (1), (2), (3)");
        foreach (var replica in Live.Cluster.Members.Where(m => m != oldPrimary))
        {
            // The replica may not have applied CREATE DATABASE/TABLE yet (seen on a loaded 2-core machine): no table is no rows.
            await Poll.UntilAsync(async () => await LiveTestTable.CountRowsOrZeroAsync(replica) == 3, TimeSpan.FromSeconds(30), $"{replica.AliasText} has the rows");
        }

        oldPrimary.Server.Kill();

        var newPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "a replica was promoted and the other follows it", oldPrimary);
        Assert.NotEqual(oldPrimary, newPrimary);
        Assert.Equal(3, await LiveTestTable.CountRowsAsync(newPrimary));
        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.DeadPrimary, RecoveryDeadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        Assert.Equal(newPrimary.AliasText, recovery.SuccessorAlias);
    }

    [Fact]
    public async Task Keyspace_without_durability_policy_is_left_alone()
    {
        await Live.Cluster.Topo.Keyspaces.UpdateFieldsAsync(LiveCluster.Keyspace, k => k.DurabilityPolicy = "", AgentCluster.Deadline());
        var daemon = await Live.StartDaemonAsync();

        // Enough for several polls of every tablet and several recovery ticks: a daemon that acted would have by now.
        await Poll.UntilAsync(() => Task.FromResult(AllTabletsPolled(daemon) && daemon.RecoveryTicks >= 5), TimeSpan.FromSeconds(60),
            "every tablet was polled and five recovery ticks ran");
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 3), TimeSpan.FromSeconds(30), "three more recovery ticks ran");

        Assert.Null(await Live.TopoPrimaryAsync());
        Assert.Empty(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()));
        var result = Assert.Single(daemon.CurrentAnalysis());
        Assert.Equal(ShardSkipReason.NoDurabilityPolicy, result.SkipReason);
    }

    [Fact]
    public async Task Two_daemons_watching_the_same_shard_perform_one_recovery_and_the_other_reports_it_fixed()
    {
        // Audit rows in the store make each daemon's skipped attempts visible to the test.
        Func<OrchestratorOptions, OrchestratorOptions> withAudit = o => o with { Store = o.Store with { AuditToBackend = true } };
        var first = await Live.StartDaemonAsync(withAudit);
        var second = await Live.StartDaemonAsync(withAudit);
        var oldPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "a first primary was elected");

        // An operator's lock on the shard (as a vtctld operation would hold) makes both daemons see the dead primary and
        // try, so the race that follows its release is a real one.
        var lockHolder = await Live.Cluster.Topo.Locks.LockShardAsync(LiveCluster.Keyspace, LiveCluster.Shard, "test: hold the shard", AgentCluster.Deadline());
        oldPrimary.Server.Kill();
        await Poll.UntilAsync(async () => await SkippedAsync(first, "ShardLocked") && await SkippedAsync(second, "ShardLocked"), RecoveryDeadline,
            "both daemons found DeadPrimary and skipped it because the shard is locked");
        await lockHolder.UnlockAsync(AgentCluster.Deadline());

        var newPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "the shard failed over", oldPrimary);
        await Poll.UntilAsync(async () => await HasFinishedFailoverAsync(first) || await HasFinishedFailoverAsync(second), RecoveryDeadline,
            "one of the daemons recorded the finished failover");
        // Both daemons keep ticking after the failover: let each run a few more ticks so a late duplicate would show.
        long firstTicks = first.RecoveryTicks, secondTicks = second.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(first.RecoveryTicks >= firstTicks + 3 && second.RecoveryTicks >= secondTicks + 3),
            TimeSpan.FromSeconds(30), "both daemons ran three more ticks");

        var failovers = new List<(OrchestratorDaemon Daemon, Vtorc.Orchestrator.Store.RecoveryRecord Record)>();
        foreach (var daemon in new[] { first, second })
        {
            failovers.AddRange((await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()))
                .Where(r => r.Analysis == AnalysisCodes.DeadPrimary).Select(r => (daemon, r)));
        }
        var (winner, failover) = Assert.Single(failovers);
        Assert.True(failover.IsSuccessful, failover.AllErrors);
        Assert.Equal(newPrimary.AliasText, failover.SuccessorAlias);

        // The other one sees the shard as fixed: no problem left in its analysis of the shard.
        var other = winner == first ? second : first;
        await Poll.UntilAsync(() => Task.FromResult(other.CurrentProblems(LiveCluster.Keyspace, LiveCluster.Shard)
                .All(a => a.Analysis != AnalysisCodes.DeadPrimary)), RecoveryDeadline,
            "the daemon that did not recover sees no DeadPrimary any more");
    }

    /// <summary>Whether the daemon's audit trail has a skipped DeadPrimary recovery with <paramref name="reason"/>.</summary>
    private static async Task<bool> SkippedAsync(OrchestratorDaemon daemon, string reason)
    {
        var audit = (await daemon.Store.DatabaseStateAsync(AgentCluster.Deadline())).Single(t => t.TableName == "audit");
        return audit.Rows.Any(r => r["audit_type"] == "SkippedRecovery"
            && r["message"].Contains($"for {AnalysisCodes.DeadPrimary} skipped ({reason})", StringComparison.Ordinal));
    }

    private static async Task<bool> HasFinishedFailoverAsync(OrchestratorDaemon daemon) =>
        (await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline())).Any(r => r.Analysis == AnalysisCodes.DeadPrimary && !r.IsActive);

    private static bool AllTabletsPolled(OrchestratorDaemon daemon) =>
        daemon.State.Tablets.Count == 3 && daemon.State.Tablets.All(t => daemon.State.TryGetObservation(t.Alias)?.LastCheckSucceeded == true);
}
