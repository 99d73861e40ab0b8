using Vtorc.Agent.MySql;
using System.Globalization;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Tests.Live;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 12 finding 6 on a real semi_sync shard: partitions made with nftables drop rules on loopback
/// (<see cref="LoopbackPortBlock"/>, root only). A primary cut off from everyone over TCP while a client on its side
/// keeps writing through the unix socket must be failed over, must acknowledge nothing that the new primary lacks,
/// and must be read-only once the partition heals; a primary cut off from the orchestrator only (its replicas still
/// hear it) must not be failed over.
/// </summary>
[NeedsExternalProcess]
public sealed class PartitionedPrimaryTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private readonly ITestOutputHelper _output = output;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private const string WriterUser = "isolated_writer";
    private const string WriterPassword = "isolated-pw";

    protected override bool StartsDefaultCluster => false;

    // Relies on the agent's fence (docs/reliability.md): semi-sync never falls back to asynchronous commit, and the cut
    // off primary's fence kills its mysqld when commits wait for an acknowledgement, so none of them is reported
    // committed to its client and none stays in its binary log: restarted (the supervisor plays systemd), it rejoins.
    [Fact]
    public async Task Primary_partitioned_from_everyone_is_failed_over_without_losing_an_acknowledged_row_and_rejoins_read_only_once_healed()
    {
        var (daemon, oldPrimary) = await StartSemiSyncShardAsync();
        await using var supervisor = MySqldSupervisor.Watch(Live.Cluster.Members, _output.WriteLine);
        // A client on the primary's side of the partition: its unix socket is not cut by the loopback TCP drop rules.
        var isolatedSide = new CheckedServer(oldPrimary.AliasText, new Vtorc.Agent.MySql.MySqlConnectionOptions
        {
            UnixSocket = oldPrimary.Server.SocketPath,
            User = WriterUser,
            Password = WriterPassword,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            CommandTimeout = TimeSpan.FromSeconds(5),
        });
        await using var writer = new LedgerWriter([isolatedSide], "test.t", "note", new LedgerWriterOptions { FirstId = 1_000_000 });
        writer.Start();
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedCount >= 50), Deadline, "the isolated-side writer got 50 rows acknowledged");

        int acknowledgedBefore = writer.AcknowledgedCount;
        var block = await LoopbackPortBlock.DropAsync([oldPrimary.Server.Port, oldPrimary.GrpcPort]);
        AgentMember newPrimary;
        try
        {
            _output.WriteLine($"partitioned {oldPrimary.AliasText} (nftables table {block.TableName}) after {acknowledgedBefore}-{writer.AcknowledgedCount} acknowledged rows (before-after the nft call)");
            newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "a replica was promoted while the old primary is partitioned", oldPrimary);
            await DescribeIsolatedSemiSyncAsync(oldPrimary);
            // The isolated side keeps trying for a while after the failover, as clients would.
            long attempts = writer.Attempts;
            await Poll.UntilAsync(() => Task.FromResult(writer.Attempts >= attempts + 3), Deadline, "the writer tried three more inserts on the isolated primary");
        }
        finally
        {
            await block.RemoveAsync();
        }
        _output.WriteLine($"healed; {writer.AcknowledgedCount} rows acknowledged, {writer.Failures} inserts failed");

        Assert.NotEqual(oldPrimary, newPrimary);
        await Poll.UntilAsync(async () => await ReadOnlyAsync(oldPrimary), Deadline, $"the healed old primary {oldPrimary.AliasText} is read-only");
        await writer.StopAsync();
        var rows = await IdsAsync(newPrimary);
        var lost = writer.Acknowledged.Keys.Where(id => !rows.Contains(id)).Order().ToArray();
        if (lost.Length > 0)
        {
            await DescribeAsync(lost);
        }
        Assert.True(lost.Length == 0,
            $"{lost.Length} acknowledged rows are missing on the new primary {newPrimary.AliasText}: {string.Join(", ", lost.Take(20))}");
        var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.DeadPrimary, Deadline);
        Assert.True(recovery.IsSuccessful, recovery.AllErrors);
        // Nothing of the isolated side's unacknowledged commits stayed behind: the old primary replicates again.
        Assert.Equal(newPrimary, await Live.WaitForHealthyShardAsync(Deadline, "every tablet, the old primary too, follows the new primary"));
        var extra = (await IdsAsync(oldPrimary)).Except(await IdsAsync(newPrimary)).Order().ToArray();
        Assert.True(extra.Length == 0, $"rows on the old primary that the new primary lacks: {string.Join(", ", extra.Take(20))}");
        _output.WriteLine($"mysqld restarts by the supervisor: {supervisor.Restarts}");
    }

    [Fact]
    public async Task Primary_cut_off_from_the_orchestrator_only_is_not_failed_over()
    {
        var (daemon, primary) = await StartSemiSyncShardAsync();
        await primary.ExecuteAsync("INSERT INTO test.t (id, note) VALUES (1, 'before')");

        // The agents report how long each replica has not heard its primary, so the daemon knows they still hear it.
        var replicas = Live.Cluster.Members.Where(m => m != primary).ToArray();
        await Poll.UntilAsync(() => Task.FromResult(replicas.All(r => daemon.State.TryGetObservation(r.AliasText)?.SourceSilenceSeconds is not null)),
            Deadline, "the daemon has the replicas' source silence from their agents");

        await using (var block = await LoopbackPortBlock.DropAsync([primary.GrpcPort]))
        {
            await Poll.UntilAsync(() => Task.FromResult(daemon.CurrentProblems().Any(a => a.AnalyzedInstanceAlias == primary.AliasText
                    && a.Analysis == AnalysisCodes.UnreachablePrimary)),
                Deadline, $"the daemon sees {primary.AliasText} unreachable with replicas still replicating");
            // Five more analysed ticks and at least 12 s: well beyond the replicas' 4 s net timeout and the source
            // silence threshold (docs/reliability.md): had the replicas stopped hearing the primary, the daemon would
            // have failed over within them. (Ticks no longer wait for recoveries or polls, so ticks alone can be quick.)
            long ticks = daemon.RecoveryTicks;
            var watchedFrom = daemon.Time.GetUtcNow();
            await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 5 && daemon.Time.GetUtcNow() - watchedFrom >= TimeSpan.FromSeconds(12)),
                TimeSpan.FromSeconds(180), "five more recovery ticks ran over at least 12 s");
        }

        Assert.Equal(primary, await Live.TopoPrimaryAsync());
        Assert.DoesNotContain(await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()),
            r => r.Analysis is AnalysisCodes.DeadPrimary or AnalysisCodes.DeadPrimaryAndSomeReplicas or AnalysisCodes.PrimarySemiSyncBlocked);
        await primary.ExecuteAsync("INSERT INTO test.t (id, note) VALUES (2, 'after')");
    }

    /// <summary>A three-tablet semi_sync shard with a primary elected, both replicas acking, test.t and an unprivileged writer account.</summary>
    private async Task<(OrchestratorDaemon Daemon, AgentMember Primary)> StartSemiSyncShardAsync()
    {
        await StartClusterAsync();
        var daemon = await Live.StartDaemonAsync();
        var primary = await Live.WaitForHealthyShardAsync(Deadline, "a first primary was elected");
        // semi_sync only once the replicas follow the primary: an election under semi_sync would wait for acks nobody sends yet.
        await Live.Cluster.Topo.Keyspaces.UpdateFieldsAsync(LiveCluster.Keyspace, k => k.DurabilityPolicy = "semi_sync", AgentCluster.Deadline());
        await Poll.UntilAsync(async () => await GlobalStatusAsync(primary, "Rpl_semi_sync_master_status") == "ON"
                && await GlobalStatusAsync(primary, "Rpl_semi_sync_master_clients") == "2",
            Deadline, "the primary waits for semi-sync acks and both replicas are connected as ackers");
        await primary.ExecuteAsync("CREATE DATABASE IF NOT EXISTS test");
        await primary.ExecuteAsync("CREATE TABLE IF NOT EXISTS test.t (id BIGINT PRIMARY KEY, note VARCHAR(40))");
        await primary.ExecuteAsync($"CREATE USER '{WriterUser}'@'localhost' IDENTIFIED BY '{WriterPassword}'");
        await primary.ExecuteAsync($"GRANT SELECT, INSERT ON test.* TO '{WriterUser}'@'localhost'");
        // The daemon's own view must be settled too: a problem still pending when the primary is cut off (e.g. its
        // last successful poll predates semi-sync) would outrank what the test is about.
        await Poll.UntilAsync(() => Task.FromResult(daemon.CurrentProblems().Count == 0), Deadline, "the daemon sees no problem in the shard");
        return (daemon, primary);
    }

    /// <summary>Which server has the lost rows and where each server's GTID positions stand, to tell why they were lost.</summary>
    private async Task DescribeAsync(IReadOnlyList<long> lost)
    {
        var idList = string.Join(", ", lost.Take(200).Select(id => id.ToString(CultureInfo.InvariantCulture)));
        foreach (var member in Live.Cluster.Members)
        {
            var present = await member.QueryAsync($"SELECT COUNT(*) FROM test.t WHERE id IN ({idList})");
            var positions = await member.QueryAsync("SELECT @@GLOBAL.gtid_binlog_pos, @@GLOBAL.gtid_slave_pos, @@GLOBAL.gtid_current_pos");
            var io = (await member.QueryAsync("SHOW ALL SLAVES STATUS")).SingleRowOrDefault();
            _output.WriteLine($"{member.AliasText}: {present.Rows[0][0]} of the first {Math.Min(200, lost.Count)} lost rows present; "
                + $"binlog_pos {positions.Rows[0][0]}, slave_pos {positions.Rows[0][1]}, current_pos {positions.Rows[0][2]}; "
                + $"replication row: {(io is null ? "none" : string.Join(" | ", io))}");
            var semiSyncLines = File.ReadLines(member.Server.ErrorLogPath).Where(l => l.Contains("semi", StringComparison.OrdinalIgnoreCase)
                || l.Contains("Timeout", StringComparison.OrdinalIgnoreCase)).TakeLast(15);
            _output.WriteLine($"{member.AliasText} semi-sync lines of the error log:\n{string.Join('\n', semiSyncLines)}");
        }
    }

    /// <summary>The isolated primary's semi-sync state, read through its unix socket while it is cut off.</summary>
    private async Task DescribeIsolatedSemiSyncAsync(AgentMember isolated)
    {
        try
        {
            using var connection = await Vtorc.Agent.MySql.MySqlCalls.OpenAsync(new Vtorc.Agent.MySql.MySqlConnectionOptions
            {
                UnixSocket = isolated.Server.SocketPath, User = isolated.Server.User, Password = isolated.Server.Password,
            }, AgentCluster.Deadline(10));
            foreach (var query in new[] { "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master%'", "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_master%'" })
            {
                var result = await connection.QueryAsync(query, AgentCluster.Deadline(10));
                _output.WriteLine($"isolated {isolated.AliasText}: {string.Join(", ", result.Rows.Select(r => $"{r[0]}={r[1]}"))}");
            }
        }
        catch (Exception e) when (e is Vtorc.Agent.MySql.MySqlCallException or OperationCanceledException)
        {
            _output.WriteLine($"isolated {isolated.AliasText}: could not read semi-sync state: {e.Message}");
        }
    }

    private static async Task<bool> ReadOnlyAsync(AgentMember member)
    {
        try
        {
            var result = await member.QueryAsync("SELECT @@GLOBAL.read_only");
            return result.SingleRowOrDefault()?[0] == "1";
        }
        catch (Vtorc.Agent.MySql.MySqlCallException)
        {
            return false; // not reachable again yet
        }
    }

    private static async Task<string?> GlobalStatusAsync(AgentMember member, string variable)
    {
        var result = await member.QueryAsync($"SHOW GLOBAL STATUS LIKE '{variable}'");
        return result.SingleRowOrDefault()?[1];
    }

    private static async Task<HashSet<long>> IdsAsync(AgentMember member)
    {
        var result = await member.QueryAsync("SELECT id FROM test.t");
        return result.Rows.Select(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)).ToHashSet();
    }
}
