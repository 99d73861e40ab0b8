using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class AuditTrailTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Audit_file_lines_have_the_exact_tab_separated_format_and_survive_dispose()
    {
        using var directory = new TempDirectory();
        var path = directory.File("audit.log");
        var logger = new FakeLogger<HistoryStore>();
        var store = await HistoryStore.OpenAsync(new StoreOptions { AuditFileLocation = path }, logger, None);
        await store.AuditAsync("RecoverDeadPrimary", "zone1-0000000101", "commerce", "-80", "promoted zone1-0000000102",
            new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero), None);
        // A non-UTC offset is written in UTC.
        await store.AuditAsync("shutdown", "", "", "", "Triggered via SIGTERM", new DateTimeOffset(2026, 3, 4, 7, 0, 0, TimeSpan.FromHours(2)), None);
        for (var i = 0; i < 500; i++)
            await store.AuditAsync("forget", $"zone1-{i:D10}", "ks", "0", $"line {i}", T0, None);
        await store.DisposeAsync();

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(502, lines.Length);
        Assert.Equal("2026-03-04 05:06:07\tRecoverDeadPrimary\tzone1-0000000101\t[commerce:-80]\tpromoted zone1-0000000102", lines[0]);
        Assert.Equal("2026-03-04 05:00:00\tshutdown\t\t[:]\tTriggered via SIGTERM", lines[1]);
        Assert.Equal("2026-03-04 05:06:07\tforget\tzone1-0000000499\t[ks:0]\tline 499", lines[^1]);
        Assert.DoesNotContain(logger.Lines, e => e.Message.StartsWith("auditType:", StringComparison.Ordinal));
        Assert.Equal(502, store.AuditTrail.AuditWrites);
    }

    [Fact]
    public async Task Audit_file_is_appended_to_not_truncated()
    {
        using var directory = new TempDirectory();
        var path = directory.File("audit.log");
        await File.WriteAllTextAsync(path, "earlier line\n");
        await using (var store = await HistoryStore.OpenAsync(new StoreOptions { AuditFileLocation = path }, null, None))
            await store.AuditAsync("forget", "zone1-0000000101", "ks", "0", "Forgotten instances: 1", T0, None);

        Assert.Equal(["earlier line", "2026-03-04 05:06:07\tforget\tzone1-0000000101\t[ks:0]\tForgotten instances: 1"], await File.ReadAllLinesAsync(path));
    }

    [Fact]
    public async Task Without_a_file_the_audit_goes_to_the_normal_log()
    {
        var logger = new FakeLogger<HistoryStore>();
        await using var store = await HistoryStore.OpenAsync(new StoreOptions(), logger, None);
        Assert.True(await store.AuditAsync("forget", "zone1-0000000101", "ks", "0", "Forgotten instances: 1", T0, None));
        Assert.Contains(logger.Lines, e => e.Message == "auditType:forget alias:zone1-0000000101 keyspace:ks shard:0 message:Forgotten instances: 1");
        var audit = (await store.DatabaseStateAsync(None)).Single(t => t.TableName == "audit");
        Assert.Empty(audit.Rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Audit_to_backend_writes_the_audit_table(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked, o => o with { AuditToBackend = true });
        await s.Store.AuditAsync("RecoverDeadPrimary", "zone1-0000000101", "ks", "-80", "done", T0, None);

        var row = Assert.Single((await s.Store.DatabaseStateAsync(None)).Single(t => t.TableName == "audit").Rows);
        Assert.Equal("RecoverDeadPrimary", row["audit_type"]);
        Assert.Equal("zone1-0000000101", row["alias"]);
        Assert.Equal("ks", row["keyspace"]);
        Assert.Equal("-80", row["shard"]);
        Assert.Equal("done", row["message"]);
        Assert.Equal("2026-03-04T05:06:07.000000Z", row["audit_timestamp"]);
    }

    [Fact]
    public async Task An_audit_file_in_a_missing_directory_fails_at_open_naming_it()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "no-such-dir", "audit.log");
        var ex = await Assert.ThrowsAsync<StoreOpenException>(() => HistoryStore.OpenAsync(new StoreOptions { AuditFileLocation = path }, null, None));
        Assert.Contains($"--audit-file-location \"{path}\"", ex.Message);
    }
}
