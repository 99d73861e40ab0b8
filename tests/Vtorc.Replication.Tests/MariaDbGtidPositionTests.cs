namespace Vtorc.Replication.Tests;

public sealed class MariaDbGtidPositionTests
{
    private static MariaDbGtidPosition P(string text) => MariaDbGtidPosition.Parse(text);

    [Theory]
    [InlineData("", "")]
    [InlineData("0-1-100", "0-1-100")]
    [InlineData("1-2-50,0-1-100", "0-1-100,1-2-50")]
    [InlineData(" 0-1-100 ,\n 1-2-50 ", "0-1-100,1-2-50")]
    [InlineData("4294967295-4294967295-18446744073709551615", "4294967295-4294967295-18446744073709551615")]
    public void Parse_produces_canonical_text(string text, string canonical)
    {
        Assert.Equal(canonical, P(text).ToString());
    }

    [Theory]
    [InlineData("0-1", "not domain-server-sequence")]
    [InlineData("0-1-2-3", "not domain-server-sequence")]
    [InlineData("100", "not domain-server-sequence")]
    [InlineData("0--100", "empty server id")]
    [InlineData("-1-100", "empty domain")]
    [InlineData("0-1-", "empty sequence")]
    [InlineData("0-x-100", "'x' in its server id")]
    [InlineData("0-1-10a", "'a' in its sequence")]
    [InlineData("0-1-100,", "empty MariaDB GTID element")]
    [InlineData("0-1-100,,1-1-1", "empty MariaDB GTID element")]
    [InlineData("0-1-100,0-2-101", "domain 0 appears twice")]
    [InlineData("4294967296-1-1", "larger than 4294967295")]
    [InlineData("0-4294967296-1", "larger than 4294967295")]
    [InlineData("0-1-18446744073709551616", "larger than 18446744073709551615")]
    public void Malformed_position_is_rejected_with_the_input_quoted(string text, string expected)
    {
        var error = Assert.Throws<PositionParseException>(() => P(text));
        Assert.Contains($"\"{text}\"", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.False(MariaDbGtidPosition.TryParse(text, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    [Theory]
    [InlineData("0-1-100", "0-1-100", true)]
    [InlineData("0-1-100", "0-1-99", true)]
    [InlineData("0-1-100", "0-1-101", false)]
    [InlineData("0-1-100", "0-7-100", true)]
    [InlineData("0-1-100", "0-7-50", true)]
    [InlineData("0-1-100,1-2-50", "1-2-50", true)]
    [InlineData("0-1-100,1-2-50", "0-1-100,1-2-51", false)]
    [InlineData("0-1-100", "0-1-100,1-2-1", false)]
    [InlineData("0-1-100", "", true)]
    [InlineData("", "0-1-1", false)]
    [InlineData("", "", true)]
    public void Contains_compares_sequences_per_domain_ignoring_server_ids(string left, string right, bool expected)
    {
        Assert.Equal(expected, P(left).Contains(P(right)));
    }

    [Theory]
    [InlineData("0-1-100", "0-2-150", "0-2-150")]
    [InlineData("0-1-100,1-1-10", "1-2-20,2-3-5", "0-1-100,1-2-20,2-3-5")]
    [InlineData("0-1-100", "0-2-100", "0-1-100")]
    [InlineData("", "0-2-100", "0-2-100")]
    public void Union_takes_the_per_domain_maximum(string left, string right, string expected)
    {
        Assert.Equal(expected, P(left).Union(P(right)).ToString());
    }

    [Theory]
    [InlineData("0-1-100,1-1-10", "0-1-100", "1-1-10")]
    [InlineData("0-1-100,1-1-10", "0-1-99,1-1-10", "0-1-100")]
    [InlineData("0-1-100", "0-1-200", "")]
    [InlineData("0-1-100", "0-9-100", "")]
    [InlineData("0-1-100", "", "0-1-100")]
    public void Subtract_keeps_what_the_other_side_does_not_have(string left, string right, string expected)
    {
        Assert.Equal(expected, P(left).Subtract(P(right)).ToString());
    }

    [Fact]
    public void Equality_includes_server_ids()
    {
        Assert.Equal(P("0-1-100,1-2-5"), P("1-2-5,0-1-100"));
        Assert.NotEqual(P("0-1-100"), P("0-2-100"));
    }

    [Fact]
    public void Create_rejects_a_repeated_domain()
    {
        var error = Assert.Throws<ArgumentException>(() => MariaDbGtidPosition.Create([new(0, 1, 5), new(0, 2, 6)]));
        Assert.Contains("domain 0", error.Message);
        Assert.Equal("0-1-5,3-1-1", MariaDbGtidPosition.Create([new(3, 1, 1), new(0, 1, 5)]).ToString());
    }
}
