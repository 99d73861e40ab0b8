using Vtorc.Agent.MySql;
using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Reparent.Operations;
using Vtorc.Topo;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.LiveShard;

/// <summary>
/// Issue 12, finding 4: a replica whose SQL thread is stopped (it lags) must not block an emergency reparent. ERS
/// starts its applier; a replica that still cannot apply its relay log is excluded, unless it may hold more than
/// the others, in which case ERS refuses and names it.
/// </summary>
[NeedsExternalProcess]
public sealed class EmergencyReparentStuckReplicaLiveTests(ITestOutputHelper output) : LiveShardTest(output)
{
    private static EmergencyReparentOptions Options => new() { WaitReplicasTimeout = WaitReplicasTimeout };

    private static readonly long[] Rows = Enumerable.Range(1, 20).Select(i => (long)i).ToArray();

    [Fact]
    public async Task Ers_starts_the_stopped_sql_thread_of_a_lagging_replica_and_promotes_with_every_row()
    {
        var cluster = await StartClusterAsync();
        var (primary, stuck, healthy) = (cluster[0], cluster[1], cluster[2]);
        await InitShardAsync(primary);
        await ExecuteAsync(stuck, "STOP SLAVE SQL_THREAD");
        await InsertAsync(primary, Rows);
        await WaitUntilReceivedAsync(primary, [stuck, healthy]);
        Assert.False((await IdsAsync(stuck)).IsSupersetOf(Rows));
        await LoseHostAsync(primary);

        var events = new List<ReparentEvent>();
        var result = await Ers().RunAsync(Keyspace, Shard, Options, Progress(events), cancellationToken: AgentCluster.Deadline(90));
        await result.ReplicasSettled;

        Assert.Contains(events, e => e.TabletAlias == stuck.AliasText && e.Message == $"{stuck.AliasText} applied its relay log");
        var winner = cluster.Members.Single(m => m.AliasText == result.NewPrimary);
        Assert.True((await IdsAsync(winner)).IsSupersetOf(Rows), "the new primary has every row");
        var other = winner == stuck ? healthy : stuck;
        await AssertPrimaryAndReplicasAsync(winner, [other]);
        await Poll.UntilAsync(async () => (await IdsAsync(other)).IsSupersetOf(Rows), TimeSpan.FromSeconds(30), $"{other.AliasText} has every row");
    }

    [Fact]
    public async Task Ers_excludes_a_replica_that_cannot_apply_its_relay_log_and_promotes_an_equally_advanced_one()
    {
        var cluster = await StartClusterAsync();
        var (primary, stuck, healthy) = (cluster[0], cluster[1], cluster[2]);
        await InitShardAsync(primary);
        await BreakSqlThreadAsync(primary, stuck);
        await WaitUntilReceivedAsync(primary, [stuck, healthy]);
        await LoseHostAsync(primary);

        var events = new List<ReparentEvent>();
        var result = await Ers().RunAsync(Keyspace, Shard, Options, Progress(events), cancellationToken: AgentCluster.Deadline(90));
        await result.ReplicasSettled;

        Assert.Equal(healthy.AliasText, result.NewPrimary);
        Assert.True((await IdsAsync(healthy)).IsSupersetOf(Rows));
        Assert.False(await IsReadOnlyAsync(healthy));
        Assert.Contains(events, e => e.TabletAlias == stuck.AliasText && e.Message.Contains("excluded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ers_refuses_naming_a_replica_that_cannot_apply_its_relay_log_but_received_more_than_the_others()
    {
        var cluster = await StartClusterAsync();
        var (primary, stuck, behind) = (cluster[0], cluster[1], cluster[2]);
        await InitShardAsync(primary);
        await ExecuteAsync(behind, "STOP SLAVE IO_THREAD");
        await BreakSqlThreadAsync(primary, stuck);
        await WaitUntilReceivedAsync(primary, [stuck]);
        await LoseHostAsync(primary);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => Ers().RunAsync(Keyspace, Shard, Options, Progress(), cancellationToken: AgentCluster.Deadline(90)));

        Assert.True(e is ReparentDecisionException or ReparentOperationException, $"unexpected {e.GetType().Name}: {e}");
        Assert.Contains(stuck.AliasText, e.Message);
        Assert.Contains("Duplicate entry", e.Message);
        Assert.DoesNotContain("within the wait-replicas-timeout", e.Message);
        Assert.Equal(primary.AliasText, (await cluster.ShardRecordAsync()).PrimaryAlias?.ToText());
        Assert.True(await IsReadOnlyAsync(behind), $"{behind.AliasText} (less advanced) was not promoted");
        Assert.Equal(TabletType.Replica, (await behind.TabletRecordAsync()).Type);
    }

    /// <summary>
    /// A row only the replica has (written without binary log, so no errant GTID) collides with one of the primary's
    /// rows: the replica's SQL thread stops with a duplicate-key error and stays stopped when started again.
    /// </summary>
    private async Task BreakSqlThreadAsync(AgentMember primary, AgentMember replica)
    {
        using (var connection = await replica.OpenMySqlAsync())
        {
            await connection.ExecuteAsync("SET SESSION sql_log_bin = 0", AgentCluster.Deadline());
            await connection.ExecuteAsync($"INSERT INTO test.t (id, note) VALUES ({Rows[^1]}, 'only on the replica')", AgentCluster.Deadline());
        }
        await InsertAsync(primary, Rows);
        await Poll.UntilAsync(async () => await SlaveStatusAsync(replica) is { } s && s["Slave_SQL_Running"] == "No" && s["Last_SQL_Errno"] != "0",
            TimeSpan.FromSeconds(30), $"{replica.AliasText}'s SQL thread stopped on the duplicate row");
        Log($"{replica.AliasText}: {(await SlaveStatusAsync(replica))!["Last_SQL_Error"]}");
    }

    /// <summary>Every replica's IO thread has read the primary's binary log up to its end.</summary>
    private static async Task WaitUntilReceivedAsync(AgentMember primary, IEnumerable<AgentMember> replicas)
    {
        string file;
        string offset;
        using (var connection = await primary.OpenMySqlAsync())
        {
            var row = (await connection.QueryAsync("SHOW MASTER STATUS", AgentCluster.Deadline())).SingleRowOrDefault()!;
            (file, offset) = (row["File"]!, row["Position"]!);
        }
        foreach (var replica in replicas)
        {
            await Poll.UntilAsync(async () => await SlaveStatusAsync(replica) is { } s && s["Master_Log_File"] == file && s["Read_Master_Log_Pos"] == offset,
                TimeSpan.FromSeconds(30), $"{replica.AliasText} received {file}:{offset}");
        }
    }

    /// <summary>The primary's host is gone: mysqld and its agent die.</summary>
    [Fact]
    public async Task Ers_goes_on_when_the_shard_names_a_primary_whose_tablet_record_was_deleted()
    {
        var cluster = await StartClusterAsync();
        var (primary, replicas) = (cluster[0], new[] { cluster[1], cluster[2] });
        await InitShardAsync(primary);
        await InsertAsync(primary, Rows);
        await WaitUntilReceivedAsync(primary, replicas);
        await LoseHostAsync(primary);
        // The host is gone and someone deleted its tablet record, but the shard record still names it.
        await cluster.Topo.DeleteTabletAsync(primary.Alias, AgentCluster.Deadline());

        var events = new List<ReparentEvent>();
        var result = await Ers().RunAsync(Keyspace, Shard, Options, Progress(events), cancellationToken: AgentCluster.Deadline(90));
        await result.ReplicasSettled;

        Assert.Contains(events, e => e.Message.Contains("has no tablet record any more", StringComparison.Ordinal));
        var winner = replicas.Single(m => m.AliasText == result.NewPrimary);
        Assert.True((await IdsAsync(winner)).IsSupersetOf(Rows), "the new primary has every row");
        await AssertPrimaryAndReplicasAsync(winner, replicas.Where(r => r != winner));
    }

    private static async Task LoseHostAsync(AgentMember primary)
    {
        primary.Server.Kill();
        await primary.CrashAgentAsync();
    }
}
