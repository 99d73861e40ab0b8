using Vtorc.Replication;

namespace Vtorc.Replication.Tests;

public class MariaDbDivergenceTests
{
    private static MariaDbBinlogState S(string text) => MariaDbBinlogState.Parse(text);

    [Fact]
    public void A_binlog_state_keeps_one_gtid_per_domain_and_server_sorted()
    {
        var state = S("1-5-3, 0-101-9,0-100-7");
        Assert.Equal("0-100-7,0-101-9,1-5-3", state.ToString());
        Assert.Equal(9UL, state.SequenceOf(0, 101));
        Assert.Null(state.SequenceOf(1, 101));
        Assert.True(S("").IsEmpty);
    }

    [Theory]
    [InlineData("0-100-7,0-100-8", "server_id 100 appear twice")]
    [InlineData("0-100", "domain-server-sequence")]
    [InlineData("0-100-7,,0-101-1", "empty")]
    public void Malformed_binlog_states_are_refused_with_the_reason(string text, string reason)
    {
        var e = Assert.Throws<PositionParseException>(() => MariaDbBinlogState.Parse(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Null(MariaDbBinlogState.TryParse(text));
    }

    [Fact]
    public void An_own_write_below_the_primarys_sequence_is_errant_against_the_primary()
    {
        // A (100) was primary up to 0-100-10, B (101) took over and wrote up to 50; A then wrote one transaction, 11.
        var errant = MariaDbDivergence.AgainstPrimary(S("0-100-11"), S("0-100-10,0-101-50"), primaryServerId: 101);
        Assert.Equal([new MariaDbGtid(0, 100, 11)], errant);
    }

    [Fact]
    public void A_lagging_replica_and_the_primarys_own_newest_writes_are_not_errant()
    {
        Assert.Empty(MariaDbDivergence.AgainstPrimary(S("0-100-10,0-101-40"), S("0-100-10,0-101-50"), 101));
        // The replica's poll is newer than the primary's: writes of the primary itself are never counted.
        Assert.Empty(MariaDbDivergence.AgainstPrimary(S("0-100-10,0-101-52"), S("0-100-10,0-101-50"), 101));
    }

    [Fact]
    public void Among_candidates_a_write_nobody_else_has_is_unique_unless_its_writer_is_a_source()
    {
        var a = S("0-100-11");
        var c = S("0-100-10,0-101-50");
        var sources = new HashSet<uint> { 101 };
        Assert.Equal([new MariaDbGtid(0, 100, 11)], MariaDbDivergence.NotPresentElsewhere(a, [c], sources));
        Assert.Empty(MariaDbDivergence.NotPresentElsewhere(c, [a], sources));
        Assert.Empty(MariaDbDivergence.NotPresentElsewhere(a, [], sources));
    }
}
