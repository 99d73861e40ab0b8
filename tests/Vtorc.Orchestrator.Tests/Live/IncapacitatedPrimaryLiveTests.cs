using Topodata;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Recovery;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// IncapacitatedPrimary and RecoverIncapacitatedPrimary end to end (docs/vitess-compatibility.md; Vitess
/// go/vt/vtorc/inst/primary_health.go and go/vt/vtorc/logic/topology_recovery.go): a primary whose agent still answers
/// but whose FullStatus polls hang past their deadline, while its MariaDB keeps serving the replicas. The situation is
/// made by a <see cref="StallingGrpcProxy"/> in front of the primary's agent, the primary's tablet record pointing at
/// the proxy: the agent and MariaDB themselves are untouched, so every other RPC (Ping, the reparent's) works as it
/// would on an overloaded tablet.
/// </summary>
[NeedsExternalProcess]
public sealed class IncapacitatedPrimaryLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private const string FullStatusPath = "/tabletmanagerservice.TabletManager/FullStatus";

    // Detection needs the successes recorded before the stall to leave the window (5 × --remote-operation-timeout,
    // 25 s here) and then a planned reparent: far less than this on an idle machine.
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Primary_answering_ping_but_failing_its_status_polls_is_replaced_by_a_planned_reparent()
    {
        var daemon = await Live.StartDaemonAsync();
        var oldPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "the daemon elected a first primary");
        await LiveTestTable.CreateAsync(oldPrimary);
        await using var proxy = await RouteThroughProxyAsync(daemon, oldPrimary);

        proxy.Stall(FullStatusPath);

        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.IncapacitatedPrimary, RecoveryDeadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        Assert.True(proxy.StalledCalls >= 3, $"only {proxy.StalledCalls} FullStatus calls were stalled");
        var newPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "the new primary is writable and both others replicate from it");
        Assert.NotEqual(oldPrimary, newPrimary);
        Assert.Equal(newPrimary.AliasText, recovery.SuccessorAlias);
        Assert.Equal(TabletType.Primary, (await newPrimary.TabletRecordAsync()).Type);
        Assert.NotEqual(TabletType.Primary, (await oldPrimary.TabletRecordAsync()).Type);
        // A planned reparent, not an emergency one: no DeadPrimary-family recovery ran.
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()), r => r.Analysis == AnalysisCodes.DeadPrimary);

        // An application's write lands on the new primary and reaches the old one and the other replica; the old
        // primary refuses it.
        await SemiSyncLiveShard.AppInsertAsync(newPrimary, 1);
        await Assert.ThrowsAsync<MySqlCallException>(() => SemiSyncLiveShard.AppInsertAsync(oldPrimary, 2));
        foreach (var member in Live.Cluster.Members.Where(m => m != newPrimary))
        {
            await Poll.UntilAsync(async () => await LiveTestTable.CountRowsOrZeroAsync(member) == 1, TimeSpan.FromSeconds(30), $"{member.AliasText} has the row written on the new primary");
        }
    }

    [Fact]
    public async Task Primary_not_answering_ping_either_is_not_handled_by_this_recovery()
    {
        var daemon = await Live.StartDaemonAsync();
        var primary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "the daemon elected a first primary");
        await using var proxy = await RouteThroughProxyAsync(daemon, primary);

        proxy.StallEverything();

        await Poll.UntilAsync(() => Task.FromResult(daemon.Outcomes.For(primary.AliasText, AnalysisCodes.IncapacitatedPrimary) is
            { Execution: { Outcome: RecoveryOutcome.NotAttempted } execution } && execution.Message.Contains("does not answer Ping", StringComparison.Ordinal)),
            RecoveryDeadline, "the daemon found IncapacitatedPrimary and declined it because Ping fails");
        // Let several more recovery ticks run: a recovery that wrongly went ahead would have registered by then.
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 5), TimeSpan.FromSeconds(60), "five more recovery ticks ran");

        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()), r => r.Analysis == AnalysisCodes.IncapacitatedPrimary);
        Assert.Equal(primary, await Live.TopoPrimaryAsync());
        Assert.Equal(primary, await Live.HealthyPrimaryAsync());
    }

    /// <summary>
    /// Points <paramref name="member"/>'s tablet record at a new pass-through proxy in front of its agent (the agent
    /// rewrites its port only when it registers at start) and waits until the daemon reads the record so.
    /// </summary>
    private async Task<StallingGrpcProxy> RouteThroughProxyAsync(OrchestratorDaemon daemon, AgentMember member)
    {
        var proxy = await StallingGrpcProxy.StartAsync(member.GrpcPort, AgentCluster.Deadline());
        try
        {
            await Live.Cluster.Topo.Tablets.UpdateFieldsAsync(member.Alias, t => t.PortMap["grpc"] = proxy.Port, AgentCluster.Deadline());
            await Poll.UntilAsync(() => Task.FromResult(daemon.State.TryGetTablet(member.AliasText)?.Tablet.PortMap["grpc"] == proxy.Port),
                TimeSpan.FromSeconds(30), $"the daemon reads {member.AliasText}'s record with the proxy's port");
            // Polls answered through the proxy, not only the daemon's last poll before the record changed.
            await Poll.UntilAsync(() => Task.FromResult(proxy.ForwardedCalls >= 3
                && daemon.State.TryGetObservation(member.AliasText)?.LastCheckSucceeded == true
                && daemon.CurrentProblems(LiveCluster.Keyspace, LiveCluster.Shard).Count == 0),
                TimeSpan.FromSeconds(30), $"the daemon polls {member.AliasText} through the proxy and sees no problem");
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }
}
