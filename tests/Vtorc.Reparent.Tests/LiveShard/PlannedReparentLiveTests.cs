using Vtorc.LocalCluster;
using Vtorc.Reparent.Operations;
using Vtorc.Topo;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.LiveShard;

[NeedsExternalProcess]
public sealed class PlannedReparentLiveTests(ITestOutputHelper output) : LiveShardTest(output)
{
    [Fact]
    public async Task Prs_under_continuous_writes_keeps_every_acknowledged_row_and_never_has_two_writable_servers()
    {
        var cluster = await StartClusterAsync();
        var (oldPrimary, newPrimary) = (cluster[0], cluster[1]);
        await InitShardAsync(oldPrimary);

        await using var writer = new ContinuousWriter(cluster, WriterOptions);
        await using var sampler = ReadOnlySampler.Of(cluster.Members);
        writer.Start();
        sampler.Start();
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(oldPrimary.AliasText) >= 20 && sampler.Rounds >= 5), TimeSpan.FromSeconds(30),
            "the writer has written on the old primary and the sampler is running");

        var result = await Prs().RunAsync(Keyspace, Shard, new PlannedReparentOptions { NewPrimary = newPrimary.AliasText, WaitReplicasTimeout = WaitReplicasTimeout },
            Progress(), cancellationToken: AgentCluster.Deadline(60));

        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(newPrimary.AliasText) >= 20), TimeSpan.FromSeconds(30),
            "the writer has written on the new primary");
        await writer.StopAsync();
        await sampler.StopAsync();
        Log($"writer: {writer.Acknowledged.Count} acknowledged, {writer.Failures} failed; sampler: {sampler.Rounds} rounds");

        Assert.Equal(newPrimary.AliasText, result.NewPrimary);
        Assert.Equal(oldPrimary.AliasText, result.PreviousPrimary);
        Assert.Empty(sampler.Episodes);
        Assert.Contains(oldPrimary.AliasText, sampler.SeenWritable);
        Assert.Contains(newPrimary.AliasText, sampler.SeenWritable);
        var onNewPrimary = await IdsAsync(newPrimary);
        var lost = writer.Acknowledged.Keys.Where(id => !onNewPrimary.Contains(id)).Order().ToArray();
        Assert.True(lost.Length == 0, $"acknowledged ids missing on the new primary: {string.Join(", ", lost.Take(20))}");
        await AssertPrimaryAndReplicasAsync(newPrimary);
        await Poll.UntilAsync(async () => (await IdsAsync(oldPrimary)).IsSupersetOf(writer.Acknowledged.Keys), TimeSpan.FromSeconds(30),
            "the old primary has every acknowledged row through replication");
    }

    [Fact]
    public async Task Prs_to_a_candidate_lagging_beyond_the_tolerable_lag_is_refused_and_the_primary_stays()
    {
        var cluster = await StartClusterAsync();
        var (primary, lagging) = (cluster[0], cluster[1]);
        await InitShardAsync(primary);

        // A delayed replica receives the write at once but applies it a minute later: the agent reports real lag.
        await ExecuteAsync(lagging, "STOP SLAVE");
        await ExecuteAsync(lagging, "CHANGE MASTER TO MASTER_DELAY = 60");
        await ExecuteAsync(lagging, "START SLAVE");
        await InsertAsync(primary, [1]);
        var laggingTablet = await lagging.TabletRecordAsync();
        await Poll.UntilAsync(async () =>
        {
            var status = await TabletManager.ReplicationStatusAsync(laggingTablet, AgentCluster.Deadline());
            return !status.ReplicationLagUnknown && status.ReplicationLagSeconds >= 3;
        }, TimeSpan.FromSeconds(30), $"{lagging.AliasText} reports at least 3 s of replication lag");

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Prs().RunAsync(Keyspace, Shard,
            new PlannedReparentOptions { NewPrimary = lagging.AliasText, TolerableReplicationLag = TimeSpan.FromSeconds(1), WaitReplicasTimeout = WaitReplicasTimeout },
            Progress(), cancellationToken: AgentCluster.Deadline(60)));

        var reason = Assert.Single(e.Reasons, r => r.Alias == lagging.AliasText);
        Assert.Contains("replication lag, more than the tolerable", reason.Reason);
        Assert.Contains(lagging.AliasText, e.Message);
        Assert.Equal(primary.AliasText, (await cluster.ShardRecordAsync()).PrimaryAlias?.ToText());
        Assert.False(await IsReadOnlyAsync(primary));
        Assert.True(await IsReadOnlyAsync(lagging));
        Assert.Equal(Topodata.TabletType.Primary, (await primary.TabletRecordAsync()).Type);
    }

    [Fact]
    public async Task Prs_to_a_candidate_with_a_write_of_its_own_is_refused_before_anything_is_demoted()
    {
        var cluster = await StartClusterAsync();
        var (primary, diverged) = (cluster[0], cluster[1]);
        await InitShardAsync(primary);
        await InsertAsync(primary, [1]);
        await Poll.UntilAsync(async () => (await IdsAsync(diverged)).Contains(1), TimeSpan.FromSeconds(30), $"{diverged.AliasText} has row 1");

        // A privileged account writes through read_only: a transaction of the replica's own that the primary never had.
        await InsertAsync(diverged, [1000]);

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => Prs().RunAsync(Keyspace, Shard,
            new PlannedReparentOptions { NewPrimary = diverged.AliasText, WaitReplicasTimeout = WaitReplicasTimeout },
            Progress(), cancellationToken: AgentCluster.Deadline(60)));

        Assert.Contains($"primary-elect {diverged.AliasText} has transactions the current primary {primary.AliasText} never had", e.Message);
        Assert.Equal(primary.AliasText, (await cluster.ShardRecordAsync()).PrimaryAlias?.ToText());
        Assert.False(await IsReadOnlyAsync(primary));
        Assert.True(await IsReadOnlyAsync(diverged));
        Assert.Equal(Topodata.TabletType.Primary, (await primary.TabletRecordAsync()).Type);
    }
}
