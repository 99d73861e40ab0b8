using System.Globalization;
using Topodata;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Tests.Live;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.EndToEnd;

/// <summary>
/// End-to-end failure scenarios (issue #8): each on its own real shard watched by the daemon, each asserting the final
/// state of MySQL (who is writable, who replicates from whom, which rows are there) and of the topology.
/// </summary>
public sealed class FailoverScenarioTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string WriterUser = "writer";
    private const string WriterPassword = "writer-pw";

    protected override bool StartsDefaultCluster => false;

    [Fact]
    public async Task Host_lost_agent_and_mysqld_killed_a_replica_is_promoted_and_the_host_rejoins_when_back()
    {
        await StartClusterAsync(hosting: AgentHosting.Process);
        await Live.StartDaemonAsync();
        var oldPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        await CreateTestTableAsync(oldPrimary);
        await oldPrimary.ExecuteAsync("INSERT INTO test.t (id, note) VALUES (1, 'before'), (2, 'before')");
        await WaitForRowsEverywhereAsync(2);
        Assert.NotNull(oldPrimary.AgentPid);

        // The whole host goes: the agent process and mysqld, both by SIGKILL.
        await oldPrimary.KillAgentAsync();
        oldPrimary.Server.Kill();

        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a replica was promoted and the other follows it", oldPrimary);
        Assert.Equal(new long[] { 1, 2 }, await IdsAsync(newPrimary));
        Assert.Equal(TabletType.Primary, (await newPrimary.TabletRecordAsync()).Type);

        await oldPrimary.Server.StartAgainAsync(AgentCluster.Deadline(60));
        await oldPrimary.StartAgentAsync(AgentCluster.Deadline(90));
        Assert.Equal(newPrimary, await Live.WaitForHealthyShardAsync(Deadline, "the host came back as a replica of the new primary"));
        Assert.Equal(TabletType.Replica, (await oldPrimary.TabletRecordAsync()).Type);
    }

    [Fact]
    public async Task Two_cells_with_cross_cell_failover_prevented_promote_in_the_same_cell_and_never_the_rdonly()
    {
        // Members alternate cells: 100 zone1, 101 zone2, 102 zone1, 103 zone2, 104 zone1 (RDONLY).
        await StartClusterAsync(size: 5, cells: ["zone1", "zone2"],
            tabletTypes: [TabletType.Replica, TabletType.Replica, TabletType.Replica, TabletType.Replica, TabletType.Rdonly]);
        var rdonly = Live.Cluster[4];
        await Live.StartDaemonAsync(o => o with { Recovery = o.Recovery with { PreventCrossCellFailover = true } });
        var oldPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        Assert.NotEqual(rdonly, oldPrimary);

        oldPrimary.Server.Kill();
        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "the shard failed over and every tablet follows", oldPrimary);

        Assert.Equal(oldPrimary.Cell, newPrimary.Cell);
        Assert.NotEqual(rdonly, newPrimary);
        Assert.Equal(TabletType.Rdonly, (await rdonly.TabletRecordAsync()).Type);
        Assert.True(await rdonly.ReplicatesFromAsync(newPrimary), $"{rdonly.AliasText} (RDONLY) follows the new primary");
    }

    [Fact]
    public async Task Killed_primary_is_replaced_its_rows_survive_and_restarted_it_rejoins_as_a_replica()
    {
        await StartClusterAsync();
        await Live.StartDaemonAsync();
        var oldPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        await CreateTestTableAsync(oldPrimary);
        await oldPrimary.ExecuteAsync("INSERT INTO test.t (id, note) VALUES (1, 'before'), (2, 'before')");
        await WaitForRowsEverywhereAsync(2);

        oldPrimary.Server.Kill();
        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a replica was promoted and the other follows it", oldPrimary);
        Assert.Equal(new long[] { 1, 2 }, await IdsAsync(newPrimary));

        await oldPrimary.Server.StartAgainAsync(AgentCluster.Deadline(60));
        var primary = await Live.WaitForHealthyShardAsync(Deadline, "the restarted old primary replicates from the new one");
        Assert.Equal(newPrimary, primary);
        Assert.Equal(TabletType.Replica, (await oldPrimary.TabletRecordAsync()).Type);
        await Poll.UntilAsync(async () => (await IdsAsync(oldPrimary)).SetEquals([1, 2]), Deadline, "the old primary has the rows");
    }

    [Fact]
    public async Task Semi_sync_shard_loses_no_acknowledged_row_when_the_primary_is_killed_under_writes()
    {
        // A primary without an acker must not wait forever once its replicas are gone.
        await StartClusterAsync(["--rpl-semi-sync-master-timeout=1500"]);
        await Live.Cluster.Topo.Keyspaces.UpdateFieldsAsync(LiveCluster.Keyspace, k => k.DurabilityPolicy = "semi_sync", AgentCluster.Deadline());
        var daemon = await Live.StartDaemonAsync();
        var oldPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        await Poll.UntilAsync(async () => await SemiSyncAsync(oldPrimary, "rpl_semi_sync_master_enabled") == "ON"
                && await Task.WhenAll(Replicas(oldPrimary).Select(r => SemiSyncAsync(r, "rpl_semi_sync_slave_enabled"))) is var s && s.All(v => v == "ON"),
            Deadline, "the daemon turned semi-sync on for the primary and the replicas");
        await Poll.UntilAsync(async () => await StatusAsync(oldPrimary, "Rpl_semi_sync_master_clients") == "2", Deadline,
            "both replicas are connected as semi-sync ackers");
        await CreateTestTableAsync(oldPrimary);
        await oldPrimary.ExecuteAsync($"CREATE USER '{WriterUser}'@'%' IDENTIFIED BY '{WriterPassword}'");
        await oldPrimary.ExecuteAsync($"GRANT SELECT, INSERT ON test.* TO '{WriterUser}'@'%'");
        await WaitForRowsEverywhereAsync(0);

        await using var writer = new ContinuousWriter(Live.Cluster, m => m.MySqlOptions with
        {
            User = WriterUser, Password = WriterPassword, CommandTimeout = TimeSpan.FromSeconds(5),
        });
        writer.Start();
        // Several polls of a busy semi-sync primary: commits waiting a round trip for their acknowledgement are normal
        // and must not look like a blocked primary (which the daemon would fail over).
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(oldPrimary.AliasText) >= 200 && daemon.RecoveryTicks >= ticks + 3),
            Deadline, "200 rows were acknowledged over at least three recovery ticks");
        Assert.Equal(oldPrimary, await Live.TopoPrimaryAsync());
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()),
            r => r.Analysis is AnalysisCodes.PrimarySemiSyncBlocked or AnalysisCodes.DeadPrimary);

        oldPrimary.Server.Kill();
        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "the shard failed over", oldPrimary);
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(newPrimary.AliasText) >= 10), Deadline, "the new primary acknowledged rows");
        await writer.StopAsync();

        var rows = await IdsAsync(newPrimary);
        var lost = writer.Acknowledged.Keys.Where(id => !rows.Contains(id)).ToArray();
        Assert.True(lost.Length == 0, $"acknowledged rows missing on the new primary: {string.Join(", ", lost.Take(20))}");
    }

    [Fact]
    public async Task Durability_policy_changed_at_run_time_is_applied_to_the_running_shard()
    {
        await StartClusterAsync();
        await Live.StartDaemonAsync();
        var primary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        Assert.Equal("OFF", await SemiSyncAsync(primary, "rpl_semi_sync_master_enabled"));

        // What `vtorc ctl SetKeyspaceDurabilityPolicy` does: the keyspace record, changed under the keyspace lock.
        await using (var keyspaceLock = await Live.Cluster.Topo.Locks.LockKeyspaceAsync(LiveCluster.Keyspace, "SetKeyspaceDurabilityPolicy", AgentCluster.Deadline()))
        {
            await Live.Cluster.Topo.Keyspaces.UpdateFieldsAsync(LiveCluster.Keyspace, k => k.DurabilityPolicy = "semi_sync", AgentCluster.Deadline());
        }

        await Poll.UntilAsync(async () => await SemiSyncAsync(primary, "rpl_semi_sync_master_enabled") == "ON", Deadline,
            "the primary has semi-sync on");
        foreach (var replica in Replicas(primary))
        {
            await Poll.UntilAsync(async () => await SemiSyncAsync(replica, "rpl_semi_sync_slave_enabled") == "ON", Deadline,
                $"{replica.AliasText} acks semi-sync");
        }
    }

    [Fact]
    public async Task Replica_with_errant_gtids_is_reported_and_drained_when_asked_to()
    {
        await StartClusterAsync();
        var daemon = await Live.StartDaemonAsync(o => o with { Recovery = o.Recovery with { ChangeTabletsWithErrantGtidToDrained = true } });
        var primary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        await CreateTestTableAsync(primary);
        await WaitForRowsEverywhereAsync(0);
        var replica = Replicas(primary).First();

        // A write straight into a replica (the root account ignores read_only): a transaction the primary never had.
        await replica.ExecuteAsync("INSERT INTO test.t (id, note) VALUES (999, 'errant')");

        // Reported by the API before (or while) it is drained: the HTTP surface is the operator's view.
        await using (var server = await OrchestratorHttpServer.StartAsync(daemon.Queries, daemon.Actions, daemon.Metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1" }, Loggers, AgentCluster.Deadline()))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            await Poll.UntilAsync(async () => (await http.GetStringAsync("api/errant-gtids")).Contains(replica.AliasText, StringComparison.Ordinal),
                Deadline, $"/api/errant-gtids lists {replica.AliasText}");
        }

        await Poll.UntilAsync(async () => (await replica.TabletRecordAsync()).Type == TabletType.Drained, Deadline,
            $"{replica.AliasText} was changed to DRAINED");
        var observation = daemon.State.TryGetObservation(replica.AliasText);
        Assert.NotNull(observation);
        Assert.NotEqual("", observation.GtidErrant);
        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.ErrantGtidDetected, Deadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        Assert.Equal(primary, await Live.TopoPrimaryAsync());
    }

    [Fact]
    public async Task With_recoveries_disabled_a_dead_primary_is_shown_not_repaired_and_enabling_repairs_it()
    {
        await StartClusterAsync();
        var daemon = await Live.StartDaemonAsync();
        var oldPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        await daemon.DisableGlobalRecoveriesAsync("test", AgentCluster.Deadline());

        oldPrimary.Server.Kill();
        await Poll.UntilAsync(() => Task.FromResult(daemon.CurrentProblems().Any(a => a.Analysis == AnalysisCodes.DeadPrimary)), Deadline,
            "the daemon shows DeadPrimary");
        // Repeated attempts, each refused and counted (a tick leaves out a shard whose previous attempt is still being
        // recorded, so not every tick counts one).
        await Poll.UntilAsync(() => Task.FromResult(SkippedCount(daemon, nameof(Vtorc.Orchestrator.Recovery.RecoverySkipReason.GlobalRecoveriesDisabled)) >= 3),
            Deadline, "three attempts were refused and counted in SkippedRecoveries{Reason=GlobalRecoveriesDisabled}");
        Assert.Equal(oldPrimary, await Live.TopoPrimaryAsync());
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()), r => r.Analysis == AnalysisCodes.DeadPrimary);

        await daemon.EnableGlobalRecoveriesAsync("test", AgentCluster.Deadline());
        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "the shard failed over once recoveries were enabled", oldPrimary);
        Assert.NotEqual(oldPrimary, newPrimary);
    }

    [Fact]
    public async Task Second_primary_failure_within_the_block_period_waits_for_an_acknowledgement()
    {
        await StartClusterAsync();
        var daemon = await Live.StartDaemonAsync(o => o with { Recovery = o.Recovery with { RecoveryPeriodBlockDuration = TimeSpan.FromMinutes(10) } });
        var first = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        first.Server.Kill();
        var second = await Live.WaitForHealthyShardAsync(Deadline, "the first failover happened", first);
        var failover = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.DeadPrimary, Deadline);
        Assert.True(failover.IsSuccessful, failover.AllErrors);

        // The first primary comes back as a replica, so the second failover has two tablets to choose from.
        await first.Server.StartAgainAsync(AgentCluster.Deadline(60));
        await Live.WaitForHealthyShardAsync(Deadline, "the first primary rejoined as a replica");

        second.Server.Kill();
        await Poll.UntilAsync(() => Task.FromResult(daemon.CurrentProblems().Any(a => a.Analysis == AnalysisCodes.DeadPrimary)), Deadline,
            "the daemon shows the second DeadPrimary");
        // Repeated attempts, each blocked and counted (a tick leaves out a shard whose previous attempt is still being
        // recorded, so not every tick counts one).
        await Poll.UntilAsync(() => Task.FromResult(SkippedCount(daemon, nameof(Vtorc.Orchestrator.Recovery.RecoverySkipReason.RecoveryPeriodBlock)) >= 3),
            Deadline, "three attempts were blocked and counted in SkippedRecoveries{Reason=RecoveryPeriodBlock}");
        Assert.Equal(second, await Live.TopoPrimaryAsync());
        // Shown with its reason (the status page's "latest recovery attempt").
        Assert.Equal(Vtorc.Orchestrator.Recovery.RecoverySkipReason.RecoveryPeriodBlock,
            daemon.Outcomes.For(second.AliasText, AnalysisCodes.DeadPrimary)?.Execution.SkipReason);

        var acknowledged = await daemon.Store.AcknowledgeShardAsync(LiveCluster.Keyspace, LiveCluster.Shard, "test", "second failure is expected",
            DateTimeOffset.UtcNow, AgentCluster.Deadline());
        Assert.True(acknowledged > 0);
        var third = await Live.WaitForHealthyShardAsync(Deadline, "the second failover happened after the acknowledgement", second);
        Assert.NotEqual(second, third);
    }

    private static long SkippedCount(OrchestratorDaemon daemon, string reason) =>
        daemon.Metrics.Snapshot(Vtorc.Orchestrator.Metrics.VtorcStats.SkippedRecoveries).Samples
            .Where(sample => sample.LabelValues.Contains(reason)).Sum(sample => sample.Value);

    private static async Task<string?> StatusAsync(AgentMember member, string variable)
    {
        var result = await member.QueryAsync($"SHOW GLOBAL STATUS LIKE '{variable}'");
        return result.SingleRowOrDefault()?[1];
    }

    private IEnumerable<AgentMember> Replicas(AgentMember primary) => Live.Cluster.Members.Where(m => m != primary);

    private static async Task CreateTestTableAsync(AgentMember primary)
    {
        await primary.ExecuteAsync("CREATE DATABASE IF NOT EXISTS test");
        await primary.ExecuteAsync("CREATE TABLE IF NOT EXISTS test.t (id BIGINT PRIMARY KEY, note VARCHAR(40))");
    }

    private async Task WaitForRowsEverywhereAsync(int count)
    {
        foreach (var member in Live.Cluster.Members)
        {
            await Poll.UntilAsync(async () =>
            {
                try
                {
                    return (await IdsAsync(member)).Count == count;
                }
                catch (MySqlCallException)
                {
                    return false; // the table has not replicated yet
                }
            }, Deadline, $"{member.AliasText} has test.t with {count} rows");
        }
    }

    private static async Task<HashSet<long>> IdsAsync(AgentMember member)
    {
        var result = await member.QueryAsync("SELECT id FROM test.t");
        return result.Rows.Select(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)).ToHashSet();
    }

    private static async Task<string?> SemiSyncAsync(AgentMember member, string variable)
    {
        var result = await member.QueryAsync($"SHOW GLOBAL VARIABLES LIKE '{variable}'");
        return result.SingleRowOrDefault()?[1];
    }
}
