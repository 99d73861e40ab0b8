using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Discovery;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// The daemon listening to the tablets' health streams on a real shard (docs/reliability.md, "Push detection"). The
/// daemon under test polls every hour, so after its first polls anything it learns in these tests comes through a
/// stream signal: a shard polled again, or a failover, shows that the signal was acted on.
/// </summary>
[NeedsExternalProcess]
public sealed class HealthStreamLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Broken_health_stream_of_a_primary_makes_the_daemon_poll_its_whole_shard_at_once()
    {
        var (daemon, primary) = await StartHourlyPollingDaemonAsync();
        var replicas = Live.Cluster.Members.Where(m => m != primary).ToArray();
        var polledBefore = replicas.ToDictionary(r => r.AliasText, r => daemon.State.TryGetObservation(r.AliasText)!.LastChecked);

        await primary.KillAgentAsync();

        await Poll.UntilAsync(() => Task.FromResult(replicas.All(r => daemon.State.TryGetObservation(r.AliasText)!.LastChecked > polledBefore[r.AliasText])),
            Deadline, "both replicas were polled again after the primary's agent died (the next scheduled poll is an hour away)");
        Assert.True(daemon.Metrics.Snapshot(Vtorc.Orchestrator.Metrics.VtorcStats.HealthStreamSignals).ValueOf() >= 1, "a health stream signal was counted");
    }

    [Fact]
    public async Task Broken_health_stream_of_a_healthy_primary_whose_replicas_are_connected_causes_no_recovery()
    {
        BreakableHealthStreams? streams = null;
        var (daemon, primary) = await StartHourlyPollingDaemonAsync(client => streams = new BreakableHealthStreams(client));
        var polledBefore = Live.Cluster.Members.ToDictionary(m => m.AliasText, m => daemon.State.TryGetObservation(m.AliasText)!.LastChecked);

        Assert.True(streams!.Break(primary.AliasText), "the primary had an open health stream");

        await Poll.UntilAsync(() => Task.FromResult(Live.Cluster.Members.All(m =>
                daemon.State.TryGetObservation(m.AliasText) is { LastCheckSucceeded: true } o && o.LastChecked > polledBefore[m.AliasText])),
            Deadline, "every tablet of the shard was polled again, successfully, after the primary's stream broke");
        await Poll.UntilAsync(() => Task.FromResult(daemon.HealthStreams!.ConditionOf(primary.AliasText) == HealthStreamCondition.Healthy), Deadline,
            "the primary's stream was reopened and is healthy");
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 3), Deadline, "three more recovery ticks ran");

        Assert.Empty(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()));
        Assert.Empty(daemon.CurrentProblems());
        Assert.Equal(primary.AliasText, (await Live.TopoPrimaryAsync())?.AliasText);
    }

    [Fact]
    public async Task Killed_primary_mysqld_is_failed_over_on_its_health_stream_signal_with_hourly_polls()
    {
        var (daemon, oldPrimary) = await StartHourlyPollingDaemonAsync();

        oldPrimary.Server.Kill();

        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a replica was promoted and the other follows it", oldPrimary);
        Assert.NotEqual(oldPrimary, newPrimary);
        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.DeadPrimary, Deadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        Assert.Equal(newPrimary.AliasText, recovery.SuccessorAlias);
    }

    /// <summary>
    /// A first daemon (one-second polls) elects the primary and stops; the daemon under test then polls every hour, and is
    /// returned once it has polled every tablet and holds a healthy stream from each.
    /// </summary>
    private async Task<(OrchestratorDaemon Daemon, AgentMember Primary)> StartHourlyPollingDaemonAsync(
        Func<Vtorc.Reparent.TabletManager.GrpcTabletManagerClient, Vtorc.Reparent.TabletManager.ITabletHealthStreams>? healthStreams = null)
    {
        var electing = await Live.StartDaemonAsync();
        var primary = await Live.WaitForHealthyShardAsync(Deadline, "the first daemon elected a primary that every replica follows");
        await electing.DisposeAsync();

        var hour = TimeSpan.FromHours(1);
        var daemon = await Live.StartDaemonAsync(o => o with
        {
            Discovery = o.Discovery with { InstancePollTime = hour },
            Recovery = o.Recovery with { Analysis = o.Recovery.Analysis with { InstancePollTime = hour } },
        }, healthStreams);
        Assert.NotNull(daemon.HealthStreams);
        await Poll.UntilAsync(() => Task.FromResult(Live.Cluster.Members.All(m =>
                daemon.State.TryGetObservation(m.AliasText)?.LastCheckSucceeded == true
                && daemon.HealthStreams!.ConditionOf(m.AliasText) == HealthStreamCondition.Healthy)),
            Deadline, "the daemon polled every tablet once and holds a healthy health stream from each");
        Assert.Equal(TabletType.Primary, daemon.State.TryGetTablet(primary.AliasText)?.Type);
        return (daemon, primary);
    }
}
