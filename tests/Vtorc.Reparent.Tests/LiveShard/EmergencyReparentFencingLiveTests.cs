using Vtorc.LocalCluster;
using Vtorc.Protocol.Tablets;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.LiveShard;

/// <summary>
/// Issue 12 (fencing before promotion): an emergency reparent while the old primary is alive and taking writes — as
/// the PrimarySemiSyncBlocked recovery runs it — demotes the old primary before anything is promoted, so no two
/// servers are ever writable, and every repointed replica that acknowledges is attached before the promotion.
/// </summary>
[NeedsExternalProcess]
public sealed class EmergencyReparentFencingLiveTests(ITestOutputHelper output) : LiveShardTest(output)
{
    [Fact]
    public async Task Ers_with_a_live_writable_primary_fences_it_before_promoting_and_never_two_servers_are_writable()
    {
        var cluster = await StartClusterAsync();
        var (oldPrimary, newPrimary, other) = (cluster[0], cluster[1], cluster[2]);
        await SetDurabilityAsync(DurabilityPolicyNames.SemiSync);
        await InitShardAsync(oldPrimary);

        await using var writer = new ContinuousWriter(cluster, WriterOptions);
        await using var sampler = ReadOnlySampler.Of(cluster.Members);
        writer.Start();
        sampler.Start();
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(oldPrimary.AliasText) >= 20 && sampler.Rounds >= 5), TimeSpan.FromSeconds(30),
            "the writer has written on the old primary and the sampler is running");

        var events = new List<ReparentEvent>();
        var result = await Ers().RunAsync(Keyspace, Shard,
            new EmergencyReparentOptions { NewPrimary = newPrimary.AliasText, WaitReplicasTimeout = WaitReplicasTimeout }, Progress(events),
            cancellationToken: AgentCluster.Deadline(90));
        await result.ReplicasSettled;
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(newPrimary.AliasText) >= 20), TimeSpan.FromSeconds(30),
            "the writer has written on the new primary");
        await writer.StopAsync();
        await sampler.StopAsync();
        Log($"writer: {writer.Acknowledged.Count} acknowledged, {writer.Failures} failed; sampler: {sampler.Rounds} rounds");

        Assert.Equal(newPrimary.AliasText, result.NewPrimary);
        Assert.Empty(sampler.Episodes);
        // A commit waiting for an acknowledgement when the demotion came makes the agent kill mysqld (so that commit is
        // dropped, not committed); restarted, the server is read-only and holds nothing the new primary lacks.
        int demoted = events.FindIndex(e => e.TabletAlias == oldPrimary.AliasText
            && (e.Message.Contains("force-demoted", StringComparison.Ordinal) || e.Message.Contains(MySqldKilledToFence.Marker, StringComparison.Ordinal)));
        if (!oldPrimary.Server.IsRunning)
        {
            Log($"{oldPrimary.AliasText}'s mysqld was killed to fence it; starting it again");
            await oldPrimary.Server.StartAgainAsync(AgentCluster.Deadline(60));
            var extra = (await IdsAsync(oldPrimary)).Except(await IdsAsync(newPrimary)).Order().ToArray();
            Assert.True(extra.Length == 0, $"rows on the restarted old primary that the new primary lacks: {string.Join(", ", extra.Take(20))}");
        }
        Assert.True(await IsReadOnlyAsync(oldPrimary), $"{oldPrimary.AliasText} is read-only");
        int repointedOther = events.FindIndex(e => e.Message == $"repointed {other.AliasText} to {newPrimary.AliasText}");
        int promoting = events.FindIndex(e => e.Message.StartsWith($"promoting {newPrimary.AliasText} (PromoteReplica", StringComparison.Ordinal));
        Assert.True(demoted >= 0 && repointedOther > demoted && promoting > repointedOther,
            $"order: demotion {demoted}, semi-sync acker repointed {repointedOther}, promotion {promoting}");
        var onNewPrimary = await IdsAsync(newPrimary);
        var lost = writer.Acknowledged.Keys.Where(id => !onNewPrimary.Contains(id)).Order().ToArray();
        Assert.True(lost.Length == 0, $"acknowledged ids missing on the new primary: {string.Join(", ", lost.Take(20))}");
    }

    [Fact]
    public async Task Ers_of_a_frozen_primary_kills_its_mysqld_before_promoting_so_it_cannot_wake_up_writable()
    {
        // Chaos (FreezeMysqld of the primary): ERS went on without the frozen primary, and once continued it was
        // writable next to the new primary until the repointing reached it.
        var cluster = await StartClusterAsync();
        var (oldPrimary, newPrimary) = (cluster[0], cluster[1]);
        await SetDurabilityAsync(DurabilityPolicyNames.SemiSync);
        await InitShardAsync(oldPrimary);
        await using var writer = new ContinuousWriter(cluster, WriterOptions);
        writer.Start();
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(oldPrimary.AliasText) >= 20), TimeSpan.FromSeconds(30),
            "the writer has written on the old primary");
        var frozen = ProcessIdentity.TryRead(oldPrimary.Server.Pid ?? throw new InvalidOperationException("mysqld is not running"))!;
        Assert.True(DetachedProcess.Pause(frozen), "SIGSTOP of the old primary's mysqld");
        var events = new List<ReparentEvent>();
        try
        {
            var result = await Ers().RunAsync(Keyspace, Shard,
                new EmergencyReparentOptions { NewPrimary = newPrimary.AliasText, WaitReplicasTimeout = WaitReplicasTimeout }, Progress(events),
                cancellationToken: AgentCluster.Deadline(90));
            Assert.Equal(newPrimary.AliasText, result.NewPrimary);
            // The frozen process is gone before anything was promoted: it never resumes.
            Assert.False(frozen.IsAlive, "the frozen mysqld still exists after the reparent");
        }
        finally
        {
            DetachedProcess.Resume(frozen);
        }
        await writer.StopAsync();

        int killed = events.FindIndex(e => e.TabletAlias == oldPrimary.AliasText && e.Message.Contains(MySqldKilledToFence.Marker, StringComparison.Ordinal));
        int promoting = events.FindIndex(e => e.Message.StartsWith($"promoting {newPrimary.AliasText} (PromoteReplica", StringComparison.Ordinal));
        Assert.True(killed >= 0 && promoting > killed, $"order: kill of the frozen primary {killed}, promotion {promoting}");
        await oldPrimary.Server.StartAgainAsync(AgentCluster.Deadline(60));
        Assert.True(await IsReadOnlyAsync(oldPrimary), $"{oldPrimary.AliasText} is read-only after its restart");
        var extra = (await IdsAsync(oldPrimary)).Except(await IdsAsync(newPrimary)).Order().ToArray();
        Assert.True(extra.Length == 0, $"rows on the restarted old primary that the new primary lacks: {string.Join(", ", extra.Take(20))}");
        var onNewPrimary = await IdsAsync(newPrimary);
        var lost = writer.Acknowledged.Keys.Where(id => !onNewPrimary.Contains(id)).Order().ToArray();
        Assert.True(lost.Length == 0, $"acknowledged ids missing on the new primary: {string.Join(", ", lost.Take(20))}");
    }
}
