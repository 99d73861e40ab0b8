using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class AnalysisChangelogTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ChangelogAsync(StoreUnderTest s) =>
        (await s.Store.DatabaseStateAsync(None)).Single(t => t.TableName == "database_instance_analysis_changelog").Rows;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_same_code_twice_within_the_ttl_writes_one_row(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        Assert.True(await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "ReplicationStopped", T0, None));
        Assert.False(await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "ReplicationStopped", T0.AddSeconds(1), None));

        var row = Assert.Single(await ChangelogAsync(s));
        Assert.Equal("ReplicationStopped", row["analysis"]);
        Assert.Equal(1, s.Store.Changelog.AnalysisChangeWrites);
    }

    [Fact]
    public async Task A_code_repeated_at_every_tick_asks_the_database_only_the_first_time()
    {
        await using var s = await OpenAsync(false);
        // The cache lives 2 × the recovery poll (1 s): a repeat every second keeps extending it.
        for (int tick = 0; tick < 10; tick++)
        {
            await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "ReplicationStopped", T0.AddSeconds(tick * 1.5), None);
        }

        Assert.Equal(1, s.Store.Changelog.DatabaseChecks);
        Assert.Single(await ChangelogAsync(s));
    }

    [Fact]
    public async Task The_same_code_after_the_ttl_still_writes_no_row_because_the_last_analysis_is_unchanged()
    {
        await using var s = await OpenAsync(false);
        await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "ReplicationStopped", T0, None);
        Assert.False(await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "ReplicationStopped", T0.AddMinutes(5), None));
        Assert.Single(await ChangelogAsync(s));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_changed_code_writes_a_new_row_even_within_the_ttl(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        Assert.True(await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "ReplicationStopped", T0, None));
        Assert.True(await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "NoProblem", T0.AddSeconds(1), None));
        Assert.True(await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "ReplicationStopped", T0.AddSeconds(2), None));
        Assert.True(await s.Store.RecordAnalysisChangeAsync("zone1-0000000102", "ReplicationStopped", T0.AddSeconds(2), None));

        Assert.Equal(["ReplicationStopped", "NoProblem", "ReplicationStopped", "ReplicationStopped"], (await ChangelogAsync(s)).Select(r => r["analysis"]));
        var last = (await s.Store.DatabaseStateAsync(None)).Single(t => t.TableName == "database_instance_last_analysis").Rows;
        Assert.Equal(2, last.Count);
        Assert.Equal("2026-03-04T05:06:09.000000Z", last.Single(r => r["alias"] == "zone1-0000000101")["analysis_timestamp"]);
    }
}
