using Vtorc.LocalCluster;
using Vtorc.Topo;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Tests.Live;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.EndToEnd;

/// <summary>Two primaries lost one after the other on a three-tablet shard: the last tablet standing takes over.</summary>
[NeedsExternalProcess]
public sealed class CascadingFailureTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_two_primaries_die_the_last_replica_waits_for_the_operator_to_remove_the_lost_host()
    {
        var daemon = await Live.StartDaemonAsync(o => o with { Recovery = o.Recovery with { RecoveryPeriodBlockDuration = TimeSpan.Zero } });
        var first = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        first.Server.Kill();
        var second = await Live.WaitForHealthyShardAsync(Deadline, "the first failover happened", first);
        await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.DeadPrimary, Deadline);
        var last = Live.Cluster.Members.Single(m => m != first && m != second);

        // Under durability "none" an unreached tablet could still take writes if it were only cut off, so promoting the
        // last tablet could split the brain: the emergency reparent refuses and says why.
        second.Server.Kill();
        await Poll.UntilAsync(async () => (await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()))
                .Any(r => r.Analysis == AnalysisCodes.DeadPrimary && r.Alias == second.AliasText && !r.IsActive && !r.IsSuccessful
                    && r.AllErrors.Contains(first.AliasText, StringComparison.Ordinal)),
            Deadline, "a failed failover that names the unreachable first primary");
        Assert.Equal(second, await Live.TopoPrimaryAsync());
        Assert.True(await last.IsReadOnlyAsync());

        // The operator's runbook: the first host is gone for good, so its tablet record goes; the next attempt succeeds.
        await Live.Cluster.Topo.DeleteTabletAsync(first.Alias, AgentCluster.Deadline());
        Assert.Equal(last, await Live.WaitForHealthyShardAsync(Deadline, "the last tablet standing became primary", first, second));
    }

    [Fact]
    public async Task A_lost_primary_whose_record_the_operator_deleted_is_replaced_through_PrimaryTabletDeleted()
    {
        // Emergency reparents are off for the keyspace at first, so the dead primary stays until the operator acts.
        await Live.Cluster.Topo.Keyspaces.UpdateFieldsAsync(LiveCluster.Keyspace,
            k => k.VtorcState = new Vtorcdata.Keyspace { DisableEmergencyReparent = true }, AgentCluster.Deadline());
        var daemon = await Live.StartDaemonAsync();
        var lost = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        lost.Server.Kill();
        await Poll.UntilAsync(() => Task.FromResult(daemon.CurrentProblems().Any(a => a.Analysis == AnalysisCodes.DeadPrimary)), Deadline,
            "the daemon shows DeadPrimary (and may not repair it)");

        // What `vtorc ctl DeleteTablets --allow-primary` does: the shard forgets its primary, keeps the term.
        await Live.Cluster.Topo.Shards.UpdateFieldsAsync((LiveCluster.Keyspace, LiveCluster.Shard), s => s.PrimaryAlias = null, AgentCluster.Deadline());
        await Live.Cluster.Topo.DeleteTabletAsync(lost.Alias, AgentCluster.Deadline());
        await Live.Cluster.Topo.Keyspaces.UpdateFieldsAsync(LiveCluster.Keyspace, k => k.VtorcState = null, AgentCluster.Deadline());

        var replacement = await Live.WaitForHealthyShardAsync(Deadline, "a replica was promoted after the record was deleted", lost);
        Assert.NotEqual(lost, replacement);
        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.PrimaryTabletDeleted, Deadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
    }
}
