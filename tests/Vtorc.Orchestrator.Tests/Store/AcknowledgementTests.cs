using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class AcknowledgementTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<long> FinishedRecoveryAsync(StoreUnderTest s, string analysis, string shard, DateTimeOffset start, DateTimeOffset end)
    {
        var id = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", analysis, "ks", shard, 1, start, None)).RecoveryId!.Value;
        await s.Store.ResolveRecoveryAsync(id, RecoveryResolutionRecord.Unsuccessful([]), end, None);
        return id;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Last_completed_shard_wide_recovery_ignores_active_and_replica_recoveries_and_first_elections(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        Assert.Null(await s.Store.LastCompletedShardWideRecoveryAsync("ks", "0", None));

        var ers = await FinishedRecoveryAsync(s, "DeadPrimary", "0", T0, T0.AddSeconds(10));
        await FinishedRecoveryAsync(s, "ReplicationStopped", "0", T0.AddSeconds(20), T0.AddSeconds(21));
        await FinishedRecoveryAsync(s, "ClusterHasNoPrimary", "other", T0.AddSeconds(30), T0.AddSeconds(31));
        await FinishedRecoveryAsync(s, "ClusterHasNoPrimary", "0", T0.AddSeconds(32), T0.AddSeconds(33));
        await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000102", "DeadPrimary", "ks", "0", 2, T0.AddSeconds(40), None);

        var last = await s.Store.LastCompletedShardWideRecoveryAsync("ks", "0", None);
        Assert.NotNull(last);
        Assert.Equal(ers, last.RecoveryId);
        Assert.Equal("DeadPrimary", last.Analysis);
        Assert.Equal("zone1-0000000101", last.Alias);
        Assert.Equal(T0.AddSeconds(10), last.EndRecovery);
        Assert.False(last.IsAcknowledged);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Acknowledging_a_recovery_is_recorded_and_visible(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var id = await FinishedRecoveryAsync(s, "DeadPrimary", "0", T0, T0.AddSeconds(10));

        Assert.Equal(1, await s.Store.AcknowledgeRecoveryAsync(id, "alice", "checked the new primary", T0.AddMinutes(1), None));
        Assert.Equal(0, await s.Store.AcknowledgeRecoveryAsync(id, "bob", "again", T0.AddMinutes(2), None));
        Assert.Equal(0, await s.Store.AcknowledgeRecoveryAsync(9999, "bob", "unknown", T0.AddMinutes(2), None));

        var last = await s.Store.LastCompletedShardWideRecoveryAsync("ks", "0", None);
        Assert.True(last!.IsAcknowledged);
        Assert.Equal(new RecoveryAcknowledgement(id, "alice", "checked the new primary", T0.AddMinutes(1)), last.Acknowledgement);
        Assert.Equal(last.Acknowledgement, (await s.Store.ReadRecoveryAsync(id, None))!.Acknowledgement);
    }

    [Fact]
    public async Task Acknowledging_a_shard_covers_its_finished_recoveries_only()
    {
        await using var s = await OpenAsync(false);
        var a = await FinishedRecoveryAsync(s, "DeadPrimary", "0", T0, T0.AddSeconds(1));
        var b = await FinishedRecoveryAsync(s, "ClusterHasNoPrimary", "0", T0.AddSeconds(2), T0.AddSeconds(3));
        var other = await FinishedRecoveryAsync(s, "DeadPrimary", "1", T0, T0.AddSeconds(1));
        var active = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000103", "DeadPrimary", "ks", "0", 3, T0.AddSeconds(4), None)).RecoveryId!.Value;

        Assert.Equal(2, await s.Store.AcknowledgeShardAsync("ks", "0", "alice", "", T0.AddMinutes(1), None));

        Assert.NotNull((await s.Store.ReadRecoveryAsync(a, None))!.Acknowledgement);
        Assert.NotNull((await s.Store.ReadRecoveryAsync(b, None))!.Acknowledgement);
        Assert.Null((await s.Store.ReadRecoveryAsync(other, None))!.Acknowledgement);
        Assert.Null((await s.Store.ReadRecoveryAsync(active, None))!.Acknowledgement);
    }

    [Fact]
    public async Task Acknowledging_without_a_name_is_refused()
    {
        await using var s = await OpenAsync(false);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => s.Store.AcknowledgeRecoveryAsync(1, " ", "", T0, None));
        Assert.Equal("acknowledgedBy", ex.ParamName);
    }
}
