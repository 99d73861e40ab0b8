using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class DatabaseStateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Every_table_is_listed_in_the_fixed_order_even_when_empty()
    {
        await using var s = await OpenAsync(false);
        var state = await s.Store.DatabaseStateAsync(None);
        Assert.Equal(
        [
            "recovery_detection", "topology_recovery", "topology_recovery_steps", "audit", "database_instance_last_analysis",
            "database_instance_analysis_changelog", "global_recovery_disable", "recovery_acknowledgement",
            "recovery_disable_scope", "operator_reparent", "operator_reparent_steps",
        ], state.Select(t => t.TableName));
        Assert.All(state, t => Assert.Empty(t.Rows));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rows_map_every_column_to_its_text_with_null_as_empty(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        var detection = await s.Store.RecordDetectionAsync("zone1-0000000101", "DeadPrimary", "ks", "-80", T0, None);
        var recovery = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "-80", detection, T0, None)).RecoveryId!.Value;

        var state = (await s.Store.DatabaseStateAsync(None)).ToDictionary(t => t.TableName, t => t.Rows);
        Assert.Equal(new Dictionary<string, string>
        {
            ["detection_id"] = detection.ToString(),
            ["alias"] = "zone1-0000000101",
            ["analysis"] = "DeadPrimary",
            ["keyspace"] = "ks",
            ["shard"] = "-80",
            ["detection_timestamp"] = "2026-03-04T05:06:07.000000Z",
        }, Assert.Single(state["recovery_detection"]));
        Assert.Equal(new Dictionary<string, string>
        {
            ["recovery_id"] = recovery.ToString(),
            ["alias"] = "zone1-0000000101",
            ["start_recovery"] = "2026-03-04T05:06:07.000000Z",
            ["end_recovery"] = "",
            ["successor_alias"] = "",
            ["analysis"] = "DeadPrimary",
            ["keyspace"] = "ks",
            ["shard"] = "-80",
            ["is_successful"] = "0",
            ["all_errors"] = "",
            ["detection_id"] = detection.ToString(),
        }, Assert.Single(state["topology_recovery"]));
    }
}
