using System.Globalization;
using Vtorc.LocalCluster;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>The shared ledger writer (chaos checker, partition tests) on real MariaDB, as the unprivileged account.</summary>
[NeedsExternalProcess]
public sealed class LedgerWriterTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task Only_rows_a_server_answered_ok_are_in_the_ledger_and_a_refusal_moves_the_writer_to_the_next_server()
    {
        await BuildShardAsync();
        var primary = Cluster[0];
        var replica = Cluster[1];
        await InsertRowsAsync(primary, 0);
        // The read-only replica comes first: its refusal (read_only, or the table not replicated yet) is no acknowledgement.
        await using var writer = new LedgerWriter(
            [new CheckedServer(replica.AliasText, replica.AppMySqlOptions), new CheckedServer(primary.AliasText, primary.AppMySqlOptions)],
            "test.t", "note", new LedgerWriterOptions { FirstId = 5_000, CurrentPhase = () => 3 });
        writer.Start();
        await Poll.UntilAsync(() => Task.FromResult(writer.AcknowledgedBy(primary.AliasText) >= 20), TimeSpan.FromSeconds(30),
            "the primary acknowledged 20 rows");
        await writer.StopAsync();

        Assert.True(writer.Failures >= 1, "the read-only replica refused the first insert");
        Assert.Equal(0, writer.AcknowledgedBy(replica.AliasText));
        Assert.All(writer.Acknowledged.Values, entry => Assert.Equal(new LedgerEntry(primary.AliasText, 3), entry));
        Assert.DoesNotContain(5_000L, writer.Acknowledged.Keys);
        Assert.True(writer.Attempts >= writer.AcknowledgedCount + writer.Failures);
        var onPrimary = (await primary.QueryAsync($"SELECT id FROM test.t WHERE note = '{primary.AliasText}'")).Rows
            .Select(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Subset(onPrimary, writer.Acknowledged.Keys.ToHashSet());
    }
}
