using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class RecoveryHistoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Detection_ids_increase(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var first = await s.Store.RecordDetectionAsync("zone1-0000000101", "DeadPrimary", "ks", "-80", T0, None);
        var second = await s.Store.RecordDetectionAsync("zone1-0000000101", "DeadPrimary", "ks", "-80", T0.AddSeconds(1), None);
        var third = await s.Store.RecordDetectionAsync("zone1-0000000102", "ReplicationStopped", "ks", "80-", T0.AddSeconds(2), None);
        Assert.True(first > 0);
        Assert.True(second > first);
        Assert.True(third > second);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Registration_blocks_a_second_active_recovery_in_the_same_shard_only(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var first = await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "-80", 1, T0, None);
        var sameShard = await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000102", "ReplicationStopped", "ks", "-80", 2, T0, None);
        var otherShard = await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000201", "ReplicationStopped", "ks", "80-", 3, T0, None);
        var otherKeyspace = await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000301", "ReplicationStopped", "other", "-80", 4, T0, None);

        Assert.True(first.IsRegistered);
        Assert.False(sameShard.IsRegistered);
        Assert.Null(sameShard.RecoveryId);
        Assert.Equal($"Active recovery (id:{first.RecoveryId}) in the cluster ks:-80 for ReplicationStopped", sameShard.Refusal);
        Assert.True(otherShard.IsRegistered);
        Assert.True(otherKeyspace.IsRegistered);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concurrent_registrations_in_one_shard_let_exactly_one_through(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var attempts = Enumerable.Range(0, 32).Select(i => Task.Run(() =>
            s.Store.AttemptRecoveryRegistrationAsync($"zone1-{i:D10}", "ReplicationStopped", "ks", "0", i, T0, None)));
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.IsRegistered);
        Assert.All(results.Where(r => !r.IsRegistered), r => Assert.StartsWith($"Active recovery (id:{winner.RecoveryId})", r.Refusal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resolve_then_register_again_works_and_records_the_outcome(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var first = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "0", 7, T0, None)).RecoveryId!.Value;
        var resolved = await s.Store.ResolveRecoveryAsync(first,
            new RecoveryResolutionRecord(true, "zone1-0000000102", ["first error", "second error"]), T0.AddSeconds(5), None);
        var second = await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000102", "ReplicationStopped", "ks", "0", 8, T0.AddSeconds(6), None);

        Assert.True(resolved);
        Assert.True(second.IsRegistered);
        Assert.True(second.RecoveryId > first);
        var record = await s.Store.ReadRecoveryAsync(first, None);
        Assert.NotNull(record);
        Assert.Equal(T0, record.StartRecovery);
        Assert.Equal(T0.AddSeconds(5), record.EndRecovery);
        Assert.False(record.IsActive);
        Assert.True(record.IsSuccessful);
        Assert.Equal("zone1-0000000102", record.SuccessorAlias);
        Assert.Equal("first error\nsecond error", record.AllErrors);
        Assert.Equal(7, record.DetectionId);
        Assert.Equal(("zone1-0000000101", "DeadPrimary", "ks", "0"), (record.Alias, record.Analysis, record.Keyspace, record.Shard));
    }

    [Fact]
    public async Task Resolving_an_unknown_recovery_is_reported_not_thrown()
    {
        await using var s = await OpenAsync(false);
        Assert.False(await s.Store.ResolveRecoveryAsync(999, RecoveryResolutionRecord.Unsuccessful([]), T0, None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Steps_are_returned_in_order_with_their_recovery(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var a = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "-80", 1, T0, None)).RecoveryId!.Value;
        var b = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000201", "DeadPrimary", "ks", "80-", 2, T0, None)).RecoveryId!.Value;
        Assert.True(await s.Store.AddRecoveryStepAsync(a, "a1", T0.AddSeconds(1), None));
        Assert.True(await s.Store.AddRecoveryStepAsync(b, "b1", T0.AddSeconds(1), None));
        Assert.True(await s.Store.AddRecoveryStepAsync(a, "a2", T0.AddSeconds(2), None));
        Assert.True(await s.Store.AddRecoveryStepAsync(a, "a3", T0.AddSeconds(2), None));

        var recordA = await s.Store.ReadRecoveryAsync(a, None);
        var recordB = await s.Store.ReadRecoveryAsync(b, None);
        Assert.Equal(["a1", "a2", "a3"], recordA!.Steps.Select(x => x.Message));
        Assert.All(recordA.Steps, step => Assert.Equal(a, step.RecoveryId));
        Assert.Equal(T0.AddSeconds(1), recordA.Steps[0].AuditAt);
        Assert.Equal(["b1"], recordB!.Steps.Select(x => x.Message));
    }

    [Fact]
    public async Task Reading_an_unknown_recovery_gives_null()
    {
        await using var s = await OpenAsync(false);
        Assert.Null(await s.Store.ReadRecoveryAsync(42, None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recent_recoveries_are_paged_newest_first_twenty_per_page(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var ids = new List<long>();
        for (var i = 0; i < 45; i++)
        {
            // Distinct shards so that every registration succeeds while the earlier ones stay active.
            var id = (await s.Store.AttemptRecoveryRegistrationAsync($"zone1-{i:D10}", "ReplicationStopped", "ks", $"s{i}", i, T0.AddSeconds(i), None)).RecoveryId!.Value;
            await s.Store.AddRecoveryStepAsync(id, $"step of {i}", T0.AddSeconds(i), None);
            ids.Add(id);
        }
        ids.Reverse();

        var page0 = await s.Store.ReadRecentRecoveriesAsync(0, None);
        var page1 = await s.Store.ReadRecentRecoveriesAsync(1, None);
        var page2 = await s.Store.ReadRecentRecoveriesAsync(2, None);
        var page3 = await s.Store.ReadRecentRecoveriesAsync(3, None);
        var small = await s.Store.ReadRecentRecoveriesAsync(1, None, count: 5);

        Assert.Equal(ids.Take(20), page0.Select(r => r.RecoveryId));
        Assert.Equal(ids.Skip(20).Take(20), page1.Select(r => r.RecoveryId));
        Assert.Equal(ids.Skip(40), page2.Select(r => r.RecoveryId));
        Assert.Empty(page3);
        Assert.Equal(ids.Skip(5).Take(5), small.Select(r => r.RecoveryId));
        Assert.All(page0, r => Assert.Equal($"step of {r.Shard[1..]}", Assert.Single(r.Steps).Message));
    }

    [Fact]
    public async Task A_negative_page_is_refused_naming_the_argument()
    {
        await using var s = await OpenAsync(false);
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => s.Store.ReadRecentRecoveriesAsync(-1, None));
        Assert.Equal("page", ex.ParamName);
    }
}
