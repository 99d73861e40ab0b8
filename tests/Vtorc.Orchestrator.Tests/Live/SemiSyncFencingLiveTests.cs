using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// Issue 12 finding 2 on a real shard under durability semi_sync watched by a daemon: a commit left waiting for an
/// acknowledgement no new commit would bring is released by the agent's semi-sync monitor, not by a failover; and
/// when acknowledgements really are impossible, the failover fences the old primary before promoting, so no two
/// servers are ever writable at once.
/// </summary>
[NeedsExternalProcess]
public sealed class SemiSyncFencingLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task A_stale_semi_sync_waiter_is_released_by_the_agent_and_causes_no_failover()
    {
        var (daemon, primary) = await SemiSyncShardAsync();
        foreach (var replica in Replicas(primary))
        {
            await SetReplicaSemiSyncBySqlAsync(replica, on: false, reconnect: true);
        }
        await Poll.UntilAsync(async () => await StatusAsync(primary, "Rpl_semi_sync_master_clients") == "0", Deadline, "no replica acknowledges");
        var waiter = AppInsertAsync(primary, 1);
        await Poll.UntilAsync(async () => await StatusAsync(primary, "Rpl_semi_sync_master_wait_sessions") != "0", Deadline, "the insert waits");
        foreach (var replica in Replicas(primary))
        {
            await SetReplicaSemiSyncBySqlAsync(replica, on: true, reconnect: true);
        }

        await waiter.WaitAsync(Deadline);
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 5), Deadline, "five more recovery ticks ran");

        Assert.Equal(primary, await Live.TopoPrimaryAsync());
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()),
            r => r.Analysis is AnalysisCodes.PrimarySemiSyncBlocked or AnalysisCodes.DeadPrimary);
        Assert.Equal("ON", await StatusAsync(primary, "Rpl_semi_sync_master_status"));
    }

    [Fact]
    public async Task When_acknowledgements_are_impossible_the_failover_fences_the_old_primary_before_promoting()
    {
        var (daemon, primary) = await SemiSyncShardAsync();
        // The old primary's fence kills its mysqld if the commit still waits then (docs/reliability.md,
        // "Unacknowledged commits of an old primary"); the supervisor starts it again, as systemd would.
        await using var supervisor = MySqldSupervisor.Watch(Live.Cluster.Members, _output.WriteLine);
        await using var sampler = ReadOnlySampler.Of(Live.Cluster.Members);
        sampler.Start();
        // The replicas say semi-sync is on but their IO threads still run without it: nobody acknowledges, not even
        // the monitor's heartbeat.
        foreach (var replica in Replicas(primary))
        {
            await SetReplicaSemiSyncBySqlAsync(replica, on: false, reconnect: true);
            // START SLAVE returns before the IO thread connects, and the thread reads the setting when it asks for the
            // binlog: switched on too early, the replica would acknowledge after all (seen under load). STOP SLAVE
            // waited for the old thread, so "waiting for events" is the new connection, set up without semi-sync.
            await Poll.UntilAsync(async () => await IoStateAsync(replica) == "Waiting for master to send event", Deadline,
                $"{replica.AliasText} reconnected without semi-sync");
            await SetReplicaSemiSyncBySqlAsync(replica, on: true, reconnect: false);
        }
        await Poll.UntilAsync(async () => await StatusAsync(primary, "Rpl_semi_sync_master_clients") == "0", Deadline, "no replica acknowledges");
        var waiter = AppInsertAsync(primary, 2);

        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.PrimarySemiSyncBlocked, Deadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        // Every tablet follows the new primary in the end, the restarted old primary too: it kept no commit of its own.
        await Live.WaitForHealthyShardAsync(Deadline, "the shard has a primary that every replica follows");
        var rounds = sampler.Rounds;
        await Poll.UntilAsync(() => Task.FromResult(sampler.Rounds >= rounds + 20), Deadline, "20 more sampling rounds");
        await sampler.StopAsync();

        Assert.True(sampler.Episodes.Count == 0, string.Join("; ", sampler.Episodes));
        // Its client was never told "committed": its connection was killed while it waited.
        await Assert.ThrowsAsync<MySqlCallException>(() => waiter.WaitAsync(Deadline));
    }

    private Task<(Daemon.OrchestratorDaemon Daemon, AgentMember Primary)> SemiSyncShardAsync() => SemiSyncLiveShard.StartAsync(Live, Deadline);

    private IEnumerable<AgentMember> Replicas(AgentMember primary) => Live.Cluster.Members.Where(m => m != primary);

    private static Task<string?> IoStateAsync(AgentMember replica) => SemiSyncLiveShard.IoStateAsync(replica);

    private static Task<string> StatusAsync(AgentMember member, string name) => SemiSyncLiveShard.StatusAsync(member, name);

    /// <summary>The replica side by hand; with <paramref name="reconnect"/> the IO thread reconnects so the primary learns of it.</summary>
    private static async Task SetReplicaSemiSyncBySqlAsync(AgentMember replica, bool on, bool reconnect)
    {
        await replica.ExecuteAsync($"SET GLOBAL rpl_semi_sync_slave_enabled = {(on ? "ON" : "OFF")}");
        if (reconnect)
        {
            await replica.ExecuteAsync("STOP SLAVE IO_THREAD");
            await replica.ExecuteAsync("START SLAVE IO_THREAD");
        }
    }

    private static Task AppInsertAsync(AgentMember member, long id) => SemiSyncLiveShard.AppInsertAsync(member, id);
}
