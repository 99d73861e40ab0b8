using Microsoft.Data.Sqlite;
using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class OperatorReparentHistoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reparent_is_recorded_as_it_goes_and_read_back_per_shard_newest_first(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var history = s.Store.OperatorReparents;
        var planned = (await history.StartAsync(OperatorReparentHistory.Planned, "ks", "-80", "alice", "zone1-0000000102", T0, None))!.Value;
        await history.AddStepAsync(planned, T0.AddSeconds(1), "demoted zone1-0000000101", None);
        var running = await history.ReadShardAsync("ks", "-80", 10, None);
        await history.AddStepAsync(planned, T0.AddSeconds(2), "promoted zone1-0000000102", None);
        Assert.True(await history.EndAsync(planned, true, "zone1-0000000102", "zone1-0000000101", "", T0.AddSeconds(3), None));
        var emergency = (await history.StartAsync(OperatorReparentHistory.Emergency, "ks", "-80", "bob", "", T0.AddMinutes(1), None))!.Value;
        await history.EndAsync(emergency, false, "", "", "no replica is reachable", T0.AddMinutes(2), None);
        await history.StartAsync(OperatorReparentHistory.Planned, "ks", "80-", "carol", "zone1-0000000202", T0, None);

        var seenRunning = Assert.Single(running);
        Assert.True(seenRunning.IsActive);
        Assert.Equal(["demoted zone1-0000000101"], seenRunning.Steps.Select(step => step.Message));
        var shard = await history.ReadShardAsync("ks", "-80", 10, None);
        Assert.Equal([emergency, planned], shard.Select(r => r.ReparentId));
        var failed = shard[0];
        Assert.Equal((OperatorReparentHistory.Emergency, "bob", "", false, false, "no replica is reachable", T0.AddMinutes(2)),
            (failed.Kind, failed.RequestedBy, failed.RequestedPrimary, failed.IsActive, failed.IsSuccessful, failed.Error, failed.EndReparent));
        var done = shard[1];
        Assert.Equal(("zone1-0000000102", true, "zone1-0000000102", "zone1-0000000101", T0),
            (done.RequestedPrimary, done.IsSuccessful, done.NewPrimary, done.PreviousPrimary, done.StartReparent));
        Assert.Equal([(T0.AddSeconds(1), "demoted zone1-0000000101"), (T0.AddSeconds(2), "promoted zone1-0000000102")],
            done.Steps.Select(step => (step.AuditAt, step.Message)));
        Assert.Equal([emergency], (await history.ReadShardAsync("ks", "-80", 1, None)).Select(r => r.ReparentId));
    }

    [Fact]
    public async Task An_operator_reparent_is_no_recovery_for_the_anti_flapping_block_nor_for_the_Vitess_API()
    {
        await using var s = await OpenAsync(false);
        var id = (await s.Store.OperatorReparents.StartAsync(OperatorReparentHistory.Emergency, "ks", "0", "ui", "", T0, None))!.Value;
        await s.Store.OperatorReparents.EndAsync(id, true, "zone1-0000000102", "zone1-0000000101", "", T0.AddSeconds(5), None);

        Assert.Null(await s.Store.LastCompletedShardWideRecoveryAsync("ks", "0", None));
        Assert.Empty(await s.Store.ReadRecentRecoveriesAsync(0, None));
        Assert.Empty(await s.Store.ReadShardRecoveriesAsync("ks", "0", 10, None));
        // A recovery may still register in the shard: the reparent does not look like an active one.
        Assert.True((await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000102", "DeadPrimary", "ks", "0", 1, T0.AddSeconds(6), None)).IsRegistered);
    }

    [Fact]
    public async Task Reparents_left_running_by_a_previous_process_are_ended_as_abandoned()
    {
        await using var s = await OpenAsync(fileBacked: true);
        var left = (await s.Store.OperatorReparents.StartAsync(OperatorReparentHistory.Planned, "ks", "0", "ui", "zone1-0000000102", T0, None))!.Value;
        var ended = (await s.Store.OperatorReparents.StartAsync(OperatorReparentHistory.Planned, "ks", "0", "ui", "zone1-0000000101", T0, None))!.Value;
        await s.Store.OperatorReparents.EndAsync(ended, true, "zone1-0000000101", "zone1-0000000102", "", T0.AddSeconds(1), None);
        await s.ReopenAsync();

        Assert.Equal(1, await s.Store.OperatorReparents.EndAbandonedAsync(T0.AddMinutes(1), None));

        var shard = await s.Store.OperatorReparents.ReadShardAsync("ks", "0", 10, None);
        var abandoned = shard.Single(r => r.ReparentId == left);
        Assert.Equal((false, false, T0.AddMinutes(1)), (abandoned.IsActive, abandoned.IsSuccessful, abandoned.EndReparent));
        Assert.StartsWith("abandoned", abandoned.Error);
        Assert.True(shard.Single(r => r.ReparentId == ended).IsSuccessful);
    }

    [Fact]
    public async Task Writes_to_a_closed_store_are_reported_not_thrown()
    {
        var s = await OpenAsync(false);
        var id = (await s.Store.OperatorReparents.StartAsync(OperatorReparentHistory.Planned, "ks", "0", "ui", "zone1-0000000102", T0, None))!.Value;
        await s.DisposeAsync();

        Assert.Null(await s.Store.OperatorReparents.StartAsync(OperatorReparentHistory.Planned, "ks", "0", "ui", "zone1-0000000102", T0, None));
        Assert.False(await s.Store.OperatorReparents.AddStepAsync(id, T0, "a step", None));
        Assert.False(await s.Store.OperatorReparents.EndAsync(id, true, "zone1-0000000102", "", "", T0, None));
    }

    [Fact]
    public async Task A_version_2_store_file_is_migrated_to_version_3_and_keeps_its_history()
    {
        Assert.Equal(3, StoreSchema.Version);
        await using var s = await OpenAsync(fileBacked: true);
        var recovery = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "0", 1, T0, None)).RecoveryId!.Value;
        await s.Store.DisableRecoveriesAsync(Orchestrator.Recovery.RecoveryScope.ForShard("ks", "0"), "ui", "disk swap", T0, None);
        await s.Store.DisposeAsync();
        // What vtorc wrote before the operator reparents were recorded: schema version 2, no operator_reparent tables.
        await ExecuteAsync(s.Options.SqliteDataFile, "DROP TABLE operator_reparent; DROP TABLE operator_reparent_steps; UPDATE schema_version SET version = 2");

        await s.ReopenAsync();

        Assert.Equal(recovery, Assert.Single(await s.Store.ReadRecentRecoveriesAsync(0, None)).RecoveryId);
        Assert.Equal("disk swap", Assert.Single(await s.Store.ReadRecoveryDisablesAsync(None)).Reason);
        var id = (await s.Store.OperatorReparents.StartAsync(OperatorReparentHistory.Planned, "ks", "0", "ui", "zone1-0000000102", T0, None))!.Value;
        Assert.True(await s.Store.OperatorReparents.AddStepAsync(id, T0, "a step", None));
        Assert.Equal(3L, await ScalarAsync(s.Options.SqliteDataFile, "SELECT version FROM schema_version"));
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
