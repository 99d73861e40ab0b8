using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class TabletAliasTextTests
{
    [Theory]
    [InlineData("zone1", 100u, "zone1-0000000100")]
    [InlineData("zone1", 0u, "zone1-0000000000")]
    [InlineData("us-east-1a", 4294967295u, "us-east-1a-4294967295")]
    public void Format_pads_the_uid_to_ten_digits(string cell, uint uid, string expected) =>
        Assert.Equal(expected, TabletAliasText.Format(cell, uid));

    [Theory]
    [InlineData("zone1-0000000100", "zone1", 100u)]
    [InlineData("zone1-100", "zone1", 100u)]
    [InlineData("us-east-1a-0000000007", "us-east-1a", 7u)]
    [InlineData("a.b_c-1", "a.b_c", 1u)]
    [InlineData("cell--5", "cell-", 5u)]
    public void Parse_takes_the_digits_after_the_last_dash(string text, string cell, uint uid)
    {
        var parsed = TabletAliasText.ParseParts(text);
        Assert.Equal((cell, uid), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("zone1")]
    [InlineData("-100")]
    [InlineData("zone1-")]
    [InlineData("zone1-10a")]
    [InlineData("zo ne-1")]
    [InlineData("zone1-4294967296")]
    [InlineData("zone1/x-1")]
    public void Parse_rejects_bad_aliases_with_a_message_quoting_them(string text)
    {
        var e = Assert.Throws<FormatException>(() => TabletAliasText.ParseParts(text));
        Assert.Contains($"\"{text}\"", e.Message);
        Assert.False(TabletAliasText.TryParseParts(text, out _, out _));
    }

    [Fact]
    public void Compare_orders_by_cell_then_uid_numerically()
    {
        Assert.True(TabletAliasText.Compare("a", 200, "b", 1) < 0);
        Assert.True(TabletAliasText.Compare("a", 9, "a", 10) < 0);
        Assert.True(TabletAliasText.Compare("a", 10, "a", 9) > 0);
        Assert.Equal(0, TabletAliasText.Compare("a", 10, "a", 10));
    }

    [Fact]
    public void Format_then_parse_round_trips()
    {
        foreach (var (cell, uid) in new[] { ("z", 0u), ("zone-1", 123456u), ("x_y.z", uint.MaxValue) })
        {
            Assert.Equal((cell, uid), TabletAliasText.ParseParts(TabletAliasText.Format(cell, uid)));
        }
    }
}

public class TabletAliasesTests
{
    [Fact]
    public void Proto_alias_round_trips_through_text()
    {
        var alias = TabletAliases.Parse("zone1-100");
        Assert.Equal("zone1", alias.Cell);
        Assert.Equal(100u, alias.Uid);
        Assert.Equal("zone1-0000000100", alias.ToText());
    }

    [Fact]
    public void Comparer_sorts_by_cell_then_uid()
    {
        var list = new[] { "b-1", "a-10", "a-9", "a-100" }.Select(TabletAliases.Parse).ToList();
        list.Sort(TabletAliasComparer.Instance);
        Assert.Equal(["a-0000000009", "a-0000000010", "a-0000000100", "b-0000000001"], list.Select(a => a.ToText()));
    }

    [Fact]
    public void Shard_names_convert_to_key_range_messages()
    {
        Assert.Null(KeyRanges.FromShardName("0"));
        var r = KeyRanges.FromShardName("40-80")!;
        Assert.Equal(new byte[] { 0x40 }, r.Start.ToByteArray());
        Assert.Equal(new byte[] { 0x80 }, r.End.ToByteArray());
        Assert.Equal("40-80", r.ToText());
        var full = KeyRanges.FromShardName("-")!;
        Assert.True(full.Start.IsEmpty && full.End.IsEmpty);
    }
}
