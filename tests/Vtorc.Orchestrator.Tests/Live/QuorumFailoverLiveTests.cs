using System.Text.Json;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// PrimaryTabletUnreachableByQuorum (Vitess main, opt-in) end to end on real processes: a semi_sync shard whose agents
/// run as separate <c>vtorc tablet</c> processes with <c>--track-shard-tablet-health</c>, and a daemon. Only the
/// primary's agent is SIGKILLed: its mysqld keeps running and the replicas keep replicating from it, so no DeadPrimary
/// code matches; the replicas' Pings of the agent fail, and only their quorum can justify the emergency reparent.
/// </summary>
public sealed class QuorumFailoverLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] Tracking = ["--track-shard-tablet-health"];

    protected override bool StartsDefaultCluster => false;

    [Fact]
    public async Task With_the_flag_a_primary_whose_agent_died_is_failed_over_and_its_running_mysqld_acknowledges_no_write()
    {
        await StartClusterAsync(hosting: AgentHosting.Process, agentArguments: Tracking);
        var (daemon, oldPrimary) = await SemiSyncLiveShard.StartAsync(Live, Deadline, QuorumOn);
        var replicas = Live.Cluster.Members.Where(m => m != oldPrimary).ToArray();
        await WaitForReportsAsync(daemon, oldPrimary, replicas);
        await SemiSyncLiveShard.AppInsertAsync(oldPrimary, 1);

        await oldPrimary.KillAgentAsync();

        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.PrimaryTabletUnreachableByQuorum, Deadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a replica was promoted and the other follows it", oldPrimary);
        Assert.Contains(newPrimary, replicas);
        Assert.Equal(newPrimary.AliasText, recovery.SuccessorAlias);
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()), r => r.Analysis == AnalysisCodes.DeadPrimary);
        // The new primary takes unprivileged writes (the other replica acknowledges them) and kept the acknowledged row.
        await SemiSyncLiveShard.AppInsertAsync(newPrimary, 2);
        Assert.Equal(new long[] { 1, 2 }, await IdsAsync(newPrimary));

        // Nobody set the old primary read-only (its agent is dead): its mysqld still takes the write, but under semi_sync
        // it cannot acknowledge it, since no replica acknowledges it any more. The client waits.
        Assert.False(await oldPrimary.IsReadOnlyAsync());
        Assert.Equal("0", await SemiSyncLiveShard.StatusAsync(oldPrimary, "Rpl_semi_sync_master_clients"));
        var waiter = SemiSyncLiveShard.AppInsertAsync(oldPrimary, 3);
        await Poll.UntilAsync(async () => await SemiSyncLiveShard.StatusAsync(oldPrimary, "Rpl_semi_sync_master_wait_sessions") != "0", Deadline,
            "the write to the old primary waits for a semi-sync acknowledgement");
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 5), Deadline, "five more recovery ticks ran");
        Assert.False(waiter.IsCompleted, "the old primary acknowledged an unprivileged write after the failover");
        Assert.Equal(new long[] { 1, 2 }, await IdsAsync(newPrimary));
        // Its client is never told "committed": the server goes away under the waiting commit.
        oldPrimary.Server.Kill();
        await Assert.ThrowsAsync<MySqlCallException>(() => waiter.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Without_the_flag_a_primary_whose_agent_died_is_not_failed_over_though_the_replicas_vote_it_down()
    {
        await StartClusterAsync(hosting: AgentHosting.Process, agentArguments: Tracking);
        var (daemon, primary) = await SemiSyncLiveShard.StartAsync(Live, Deadline);
        var replicas = Live.Cluster.Members.Where(m => m != primary).ToArray();
        await WaitForReportsAsync(daemon, primary, replicas);
        await using var server = await OrchestratorHttpServer.StartAsync(daemon.Queries, daemon.Actions, daemon.Metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1" }, Loggers, AgentCluster.Deadline());
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        await primary.KillAgentAsync();

        // The endpoint evaluates the quorum whether or not it may act on it: every replica votes down.
        await Poll.UntilAsync(async () => QuorumOf(await http.GetStringAsync("api/shard-tablet-health-quorum")) is { } q
                && q.GetProperty("PrimaryAlias").GetString() == primary.AliasText && q.GetProperty("Down").GetBoolean()
                && q.GetProperty("DownVotes").GetInt32() == replicas.Length,
            Deadline, "/api/shard-tablet-health-quorum says every replica votes the primary down");
        await Poll.UntilAsync(() => Task.FromResult(SeesUnreachable(daemon, primary)), Deadline, "the daemon sees the primary unreachable");
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 10), Deadline, "ten more recovery ticks ran");

        Assert.Equal(primary, await Live.TopoPrimaryAsync());
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()),
            r => r.Analysis is AnalysisCodes.PrimaryTabletUnreachableByQuorum or AnalysisCodes.DeadPrimary);
        foreach (var replica in replicas)
        {
            Assert.True(await replica.ReplicatesFromAsync(primary), $"{replica.AliasText} still replicates from {primary.AliasText}");
        }
    }

    [Fact]
    public async Task With_the_flag_but_agents_that_do_not_track_a_primary_whose_agent_died_is_not_failed_over()
    {
        await StartClusterAsync(hosting: AgentHosting.Process);
        var (daemon, primary) = await SemiSyncLiveShard.StartAsync(Live, Deadline, QuorumOn);
        var replicas = Live.Cluster.Members.Where(m => m != primary).ToArray();

        await primary.KillAgentAsync();

        await Poll.UntilAsync(() => Task.FromResult(SeesUnreachable(daemon, primary)), Deadline, "the daemon sees the primary unreachable");
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 10), Deadline, "ten more recovery ticks ran");

        Assert.All(replicas, r => Assert.Empty(daemon.State.TryGetObservation(r.AliasText)!.ShardPeerHealth));
        Assert.Equal(primary, await Live.TopoPrimaryAsync());
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()),
            r => r.Analysis is AnalysisCodes.PrimaryTabletUnreachableByQuorum or AnalysisCodes.DeadPrimary);
    }

    /// <summary>
    /// The primary's polls fail while its replicas replicate: UnreachablePrimary, or IncapacitatedPrimary once the failed
    /// polls outnumber the successful ones in its health window (its recovery only acts on a primary that answers Ping).
    /// </summary>
    private static bool SeesUnreachable(OrchestratorDaemon daemon, AgentMember primary) =>
        daemon.CurrentProblems().Any(p => p.AnalyzedInstanceAlias == primary.AliasText
            && p.Analysis is AnalysisCodes.UnreachablePrimary or AnalysisCodes.IncapacitatedPrimary);

    private static OrchestratorOptions QuorumOn(OrchestratorOptions o) => o with
    {
        Recovery = o.Recovery with { Analysis = o.Recovery.Analysis with { Quorum = QuorumSettings.Default with { Enabled = true } } },
    };

    /// <summary>The monitors read the shard record every 10 s: wait until the daemon holds both replicas' answered Pings of the primary.</summary>
    private static Task WaitForReportsAsync(OrchestratorDaemon daemon, AgentMember primary, AgentMember[] replicas) =>
        Poll.UntilAsync(() => Task.FromResult(replicas.All(r => daemon.State.TryGetObservation(r.AliasText)?.ShardPeerHealth
                is [{ ConsecutivePingFailures: 0 } report] && report.PeerAlias == primary.AliasText)),
            Deadline, "the daemon holds every replica's report of answered Pings of the primary");

    private static JsonElement? QuorumOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetArrayLength() == 1 ? document.RootElement[0].Clone() : null;
    }

    private static async Task<long[]> IdsAsync(AgentMember member) =>
        [.. (await member.QueryAsync("SELECT id FROM test.t ORDER BY id")).Rows.Select(r => long.Parse(r[0]!, System.Globalization.CultureInfo.InvariantCulture))];
}
