using Vtorc.Agent.MySql;
using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using Vtorc.Topo;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.LiveShard;

[NeedsExternalProcess]
public sealed class EmergencyReparentLiveTests(ITestOutputHelper output) : LiveShardTest(output)
{
    private static EmergencyReparentOptions Options => new() { WaitReplicasTimeout = WaitReplicasTimeout };

    [Fact]
    public async Task Ers_after_sigkill_of_the_primary_promotes_the_most_advanced_replica_and_keeps_every_semi_sync_acknowledged_row()
    {
        var cluster = await StartClusterAsync();
        var (primary, advanced, behind) = (cluster[0], cluster[1], cluster[2]);
        await SetDurabilityAsync(DurabilityPolicyNames.SemiSync);
        await InitShardAsync(primary);
        Assert.Contains(await VariableAsync(primary, "rpl_semi_sync_master_enabled"), new[] { "1", "ON" });

        // The IO thread only: the replica was still "replicating" for ERS, which therefore restarts it afterwards.
        await ExecuteAsync(behind, "STOP SLAVE IO_THREAD");
        // The set-up statements may commit before the replicas' semi-sync connections are up; the writer's must not.
        await Poll.UntilAsync(async () => await StatusAsync(advanced, "Rpl_semi_sync_slave_status") == "ON"
                && await StatusAsync(primary, "Rpl_semi_sync_master_clients") == "1", TimeSpan.FromSeconds(30), $"{advanced.AliasText} is the primary's semi-sync replica");
        var unacknowledgedBefore = await StatusAsync(primary, "Rpl_semi_sync_master_no_tx");
        await using (var writer = new ContinuousWriter(cluster, WriterOptions))
        {
            writer.Start();
            await Poll.UntilAsync(() => Task.FromResult(writer.Acknowledged.Count >= 30), TimeSpan.FromSeconds(30), "the writer has 30 acknowledged rows");
            // Otherwise the primary fell back to asynchronous commits and the test would prove nothing about semi-sync.
            Assert.Equal(unacknowledgedBefore, await StatusAsync(primary, "Rpl_semi_sync_master_no_tx"));
            primary.Server.Kill();
            await writer.StopAsync();
            Log($"writer: {writer.Acknowledged.Count} acknowledged before the kill, {writer.Failures} failed");

            var result = await Ers().RunAsync(Keyspace, Shard, Options, Progress(), cancellationToken: AgentCluster.Deadline(60));
            await result.ReplicasSettled;

            Assert.Equal(advanced.AliasText, result.NewPrimary);
            var onNewPrimary = await IdsAsync(advanced);
            var lost = writer.Acknowledged.Keys.Where(id => !onNewPrimary.Contains(id)).Order().ToArray();
            Assert.True(lost.Length == 0, $"acknowledged ids missing on the new primary: {string.Join(", ", lost.Take(20))}");
            await AssertPrimaryAndReplicasAsync(advanced, [behind]);
            await Poll.UntilAsync(async () => (await IdsAsync(behind)).IsSupersetOf(writer.Acknowledged.Keys), TimeSpan.FromSeconds(30),
                $"{behind.AliasText} caught up from the new primary");
        }
    }

    [Fact]
    public async Task Ers_with_prevent_cross_cell_promotion_promotes_in_the_old_primarys_cell_even_if_another_cell_is_ahead()
    {
        // Round-robin cells: 100 zone1, 101 zone2, 102 zone1.
        var cluster = await StartClusterAsync(cells: ["zone1", "zone2"]);
        var (primary, otherCell, sameCell) = (cluster[0], cluster[1], cluster[2]);
        Assert.Equal(("zone1", "zone2", "zone1"), (primary.Cell, otherCell.Cell, sameCell.Cell));
        await InitShardAsync(primary);

        await ExecuteAsync(sameCell, "STOP SLAVE IO_THREAD");
        long[] rows = Enumerable.Range(1, 20).Select(i => (long)i).ToArray();
        await InsertAsync(primary, rows);
        await Poll.UntilAsync(async () => (await IdsAsync(otherCell)).IsSupersetOf(rows), TimeSpan.FromSeconds(30),
            $"{otherCell.AliasText} (zone2) has every row");
        Assert.False((await IdsAsync(sameCell)).IsSupersetOf(rows));
        primary.Server.Kill();

        var result = await Ers().RunAsync(Keyspace, Shard, Options with { PreventCrossCellPromotion = true }, Progress(),
            cancellationToken: AgentCluster.Deadline(60));
        await result.ReplicasSettled;

        Assert.Equal(sameCell.AliasText, result.NewPrimary);
        Assert.True((await IdsAsync(sameCell)).IsSupersetOf(rows), "the zone1 replica caught up with the more advanced zone2 replica before promotion");
        await AssertPrimaryAndReplicasAsync(sameCell, [otherCell]);
    }

    [Fact]
    public async Task Ers_under_semi_sync_refuses_when_the_primary_and_a_replica_are_unreachable()
    {
        var cluster = await StartClusterAsync();
        var (primary, crashed, survivor) = (cluster[0], cluster[1], cluster[2]);
        await SetDurabilityAsync(DurabilityPolicyNames.SemiSync);
        await InitShardAsync(primary);

        primary.Server.Kill();
        await crashed.CrashAgentAsync();

        var e = await Assert.ThrowsAnyAsync<Exception>(() => Ers().RunAsync(Keyspace, Shard, Options, Progress(), cancellationToken: AgentCluster.Deadline(60)));

        Assert.True(e is ReparentDecisionException or ReparentOperationException, $"unexpected {e.GetType().Name}: {e}");
        Assert.Contains(ErsStopReplicationCheck.InsufficientTabletsMessage, e.Message);
        Assert.Equal(primary.AliasText, (await cluster.ShardRecordAsync()).PrimaryAlias?.ToText());
        Assert.True(await IsReadOnlyAsync(survivor));
        Assert.Equal(TabletType.Replica, (await survivor.TabletRecordAsync()).Type);
        Assert.Equal(TabletType.Replica, (await crashed.TabletRecordAsync()).Type);
    }

    private static async Task<string?> StatusAsync(AgentMember member, string name)
    {
        using var connection = await member.OpenMySqlAsync();
        var result = await connection.QueryAsync($"SHOW GLOBAL STATUS LIKE '{name}'", AgentCluster.Deadline());
        return Assert.Single(result.Rows)[1];
    }

    private static async Task<string?> VariableAsync(AgentMember member, string name)
    {
        using var connection = await member.OpenMySqlAsync();
        var result = await connection.QueryAsync($"SELECT @@global.{name}", AgentCluster.Deadline());
        return result.Rows[0][0];
    }
}
