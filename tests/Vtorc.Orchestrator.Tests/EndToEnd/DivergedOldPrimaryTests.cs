using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Tests.Live;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 12, finding 1: an old primary A comes back after a failover to B and takes writes of its own before it is
/// repaired; then B dies. A clean replica C must be promoted (not A, even when A's sequence is higher), no row B
/// acknowledged may be lost, and A must be reported with errant GTIDs and its diverged replication named — not
/// "repaired" as ReplicationStopped every tick.
/// </summary>
public sealed class DivergedOldPrimaryTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private const string WriterUser = "writer";
    private const string WriterPassword = "writer-pw";

    [Fact]
    public Task Errant_sequence_above_the_new_primarys_a_clean_replica_is_promoted_and_no_acknowledged_row_is_lost() =>
        RunAsync(errantAboveNewPrimary: true);

    [Fact]
    public Task One_errant_write_below_the_new_primarys_sequence_is_reported_and_its_divergence_named_not_looped() =>
        RunAsync(errantAboveNewPrimary: false);

    private async Task RunAsync(bool errantAboveNewPrimary)
    {
        var daemon = await Live.StartDaemonAsync(o => o with { Recovery = o.Recovery with { RecoveryPeriodBlockDuration = TimeSpan.Zero } });
        var a = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        await a.ExecuteAsync("CREATE DATABASE IF NOT EXISTS test");
        await a.ExecuteAsync("CREATE TABLE IF NOT EXISTS test.t (id BIGINT PRIMARY KEY, note VARCHAR(40))");
        await a.ExecuteAsync($"CREATE USER '{WriterUser}'@'%' IDENTIFIED BY '{WriterPassword}'");
        await a.ExecuteAsync($"GRANT SELECT, INSERT ON test.* TO '{WriterUser}'@'%'");
        await a.ExecuteAsync("INSERT INTO test.t (id, note) VALUES (1, 'from A'), (2, 'from A')");
        foreach (var member in Live.Cluster.Members)
        {
            await Poll.UntilAsync(async () => await CountRowsAsync(member) == 2, Deadline, $"{member.AliasText} has the first rows");
        }

        // A's host goes (agent and mysqld): B takes over.
        await a.StopAgentAsync();
        a.Server.Kill();
        var b = await Live.WaitForHealthyShardAsync(Deadline, "a replica was promoted after A was lost", a);
        var c = Live.Cluster.Members.Single(m => m != a && m != b);

        // B acknowledges rows to an unprivileged client.
        var acknowledged = new List<long>();
        for (long id = 100; id < 110; id++)
        {
            await WriteAsUnprivilegedAsync(b, id);
            acknowledged.Add(id);
        }

        // A's mysqld restarts while its agent is still down, and takes writes of its own (a privileged account
        // writes through read_only): transactions B never had.
        await a.Server.StartAgainAsync(AgentCluster.Deadline(60));
        ulong bSequence = await DomainSequenceAsync(b);
        ulong aSequence = await DomainSequenceAsync(a);
        Assert.True(aSequence < bSequence, $"A's sequence {aSequence} is below B's {bSequence} before its errant writes");
        int errantWrites = errantAboveNewPrimary ? (int)(bSequence - aSequence) + 3 : 1;
        for (int i = 0; i < errantWrites; i++)
        {
            await a.ExecuteAsync($"INSERT INTO test.t (id, note) VALUES ({(1000 + i).ToString(CultureInfo.InvariantCulture)}, 'errant on A')");
        }
        Assert.Equal(errantAboveNewPrimary, await DomainSequenceAsync(a) > bSequence);
        await a.StartAgentAsync(AgentCluster.Deadline(90));

        // A is reported with errant GTIDs, and its broken replication is named, whatever its sequence.
        await using (var server = await OrchestratorHttpServer.StartAsync(daemon.Queries, daemon.Actions, daemon.Metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1" }, Loggers, AgentCluster.Deadline()))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            await Poll.UntilAsync(async () => (await http.GetStringAsync("api/errant-gtids")).Contains(a.AliasText, StringComparison.Ordinal),
                Deadline, $"/api/errant-gtids lists {a.AliasText}");
        }
        await WaitForProblemAsync(daemon, a, AnalysisCodes.ReplicationDiverged);
        long ticks = daemon.RecoveryTicks;
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 5), Deadline, "five recovery ticks ran with A diverged");
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()),
            r => r.Alias == a.AliasText && r.Analysis == AnalysisCodes.ReplicationStopped && r.IsSuccessful);

        // B dies: C, the clean replica, must be promoted, with every row B acknowledged.
        b.Server.Kill();
        var promoted = await Live.WaitForHealthyShardAsync(Deadline, "the shard failed over to a clean replica (the diverged A not counted)", a, b);
        Assert.Equal(c, promoted);
        Assert.Equal(c, await Live.TopoPrimaryAsync());
        var rows = await IdsAsync(c);
        Assert.All(acknowledged, id => Assert.Contains(id, rows));
        Assert.DoesNotContain(1000L, rows);
        var failover = (await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()))
            .First(r => r.Alias == b.AliasText && r.Analysis == AnalysisCodes.DeadPrimary && !r.IsActive);
        Assert.True(failover.IsSuccessful, failover.AllErrors);
        Assert.Contains(failover.Steps, step => step.Message.Contains(a.AliasText, StringComparison.Ordinal)
            && step.Message.Contains("diverged", StringComparison.Ordinal));

        // A stays reported, now against C, and named as diverged.
        await WaitForProblemAsync(daemon, a, AnalysisCodes.ReplicationDiverged);
        await Poll.UntilAsync(() => Task.FromResult(daemon.State.TryGetObservation(a.AliasText) is { GtidErrant.Length: > 0 }), Deadline,
            $"{a.AliasText} has errant GTIDs against the new primary");
        Assert.True(await a.IsReadOnlyAsync(), "the diverged A is read-only");
    }

    private static Task WaitForProblemAsync(OrchestratorDaemon daemon, AgentMember member, string code) =>
        Poll.UntilAsync(() => Task.FromResult(daemon.CurrentProblems().Any(p => p.AnalyzedInstanceAlias == member.AliasText && p.Analysis == code)),
            Deadline, $"the daemon reports {code} for {member.AliasText}");

    private static async Task WriteAsUnprivilegedAsync(AgentMember primary, long id)
    {
        var options = primary.MySqlOptions with { User = WriterUser, Password = WriterPassword };
        using var connection = await MySqlCalls.OpenAsync(options, AgentCluster.Deadline());
        await connection.ExecuteAsync($"INSERT INTO test.t (id, note) VALUES ({id.ToString(CultureInfo.InvariantCulture)}, 'acknowledged by B')",
            AgentCluster.Deadline());
    }

    /// <summary>The sequence of domain 0 in the server's gtid_binlog_pos (its last transaction, whoever wrote it).</summary>
    private static async Task<ulong> DomainSequenceAsync(AgentMember member)
    {
        var row = (await member.QueryAsync("SELECT @@GLOBAL.gtid_binlog_pos")).SingleRowOrDefault();
        var position = Vtorc.Replication.MariaDbGtidPosition.Parse(row?[0] ?? "");
        return position.ForDomain(0)?.Sequence ?? 0;
    }

    private static async Task<long> CountRowsAsync(AgentMember member)
    {
        try
        {
            return (await IdsAsync(member)).Count;
        }
        catch (MySqlCallException)
        {
            return -1; // the table has not replicated yet
        }
    }

    private static async Task<HashSet<long>> IdsAsync(AgentMember member)
    {
        var result = await member.QueryAsync("SELECT id FROM test.t");
        return result.Rows.Select(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)).ToHashSet();
    }
}
