using System.Security.Cryptography;
using Vtorc.LocalCluster;
using Vtorc.LocalCluster.Network;

namespace Vtorc.Orchestrator.Tests.EndToEnd;

/// <summary>
/// <see cref="NftTable"/>, the one way the live tests and the chaos suite run <c>nft</c>: with the real nft on the host
/// (root, as the partition tests), in a table of the test's own that drops nothing any test uses (TCP to port 9,
/// discard, over loopback).
/// </summary>
[NeedsExternalProcess]
public sealed class NftTableTests
{
    private static NftTable NewTable() => new("vtorc_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));

    [Fact]
    public async Task A_rule_that_names_no_direction_is_refused_naming_the_rule()
    {
        var table = NewTable();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => table.ReplaceRulesAsync(["tcp dport 9 drop"], CancellationToken.None));
        Assert.Contains("tcp dport 9 drop", e.Message, StringComparison.Ordinal);
        Assert.Contains(table.Name, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9lives")]
    [InlineData("bad name")]
    [InlineData("semi;colon")]
    public void A_table_name_nft_would_not_take_is_refused(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new NftTable(name));
        Assert.Contains($"\"{name}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replacing_the_rules_leaves_only_the_new_ones_and_deleting_twice_is_no_error()
    {
        var table = NewTable();
        try
        {
            await table.ReplaceRulesAsync(["oifname \"lo\" tcp dport 9 drop"], AgentCluster.Deadline());
            Assert.Contains("tcp dport 9 drop", await ListAsync(table), StringComparison.Ordinal);

            await table.ReplaceRulesAsync(["oifname \"lo\" udp dport 9 drop"], AgentCluster.Deadline());
            var listed = await ListAsync(table);
            Assert.Contains("udp dport 9 drop", listed, StringComparison.Ordinal);
            Assert.DoesNotContain("tcp dport 9 drop", listed, StringComparison.Ordinal);
        }
        finally
        {
            await table.DeleteAsync(AgentCluster.Deadline());
        }
        await table.DeleteAsync(AgentCluster.Deadline());
        await Assert.ThrowsAsync<InvalidOperationException>(() => ListAsync(table));
    }

    [Fact]
    public async Task A_rule_nft_rejects_fails_naming_the_table_and_the_rule_and_changes_nothing()
    {
        var table = NewTable();
        const string bad = "oifname \"lo\" tcp dport no_such_port_name drop";
        try
        {
            await table.ReplaceRulesAsync(["oifname \"lo\" tcp dport 9 drop"], AgentCluster.Deadline());
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => table.ReplaceRulesAsync([bad], AgentCluster.Deadline()));
            Assert.Contains($"inet {table.Name}", e.Message, StringComparison.Ordinal);
            Assert.Contains(bad, e.Message, StringComparison.Ordinal);
            // One transaction: the failed replacement left the earlier rules in place.
            Assert.Contains("tcp dport 9 drop", await ListAsync(table), StringComparison.Ordinal);
        }
        finally
        {
            await table.DeleteAsync(AgentCluster.Deadline());
        }
    }

    private static Task<string> ListAsync(NftTable table) =>
        NetCommand.RunAsync([NetCommand.NftPath, "list", "table", "inet", table.Name], AgentCluster.Deadline());
}
