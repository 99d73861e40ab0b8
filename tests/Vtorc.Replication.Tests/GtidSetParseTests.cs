namespace Vtorc.Replication.Tests;

public sealed class GtidSetParseTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("  \n ", "")]
    [InlineData(Uuids.C + ":1-5", Uuids.C + ":1-5")]
    [InlineData(Uuids.C + ":7", Uuids.C + ":7")]
    [InlineData(Uuids.C + ":7-7", Uuids.C + ":7")]
    [InlineData(Uuids.C + ":1-5:6-9", Uuids.C + ":1-9")]
    [InlineData(Uuids.C + ":6-9:1-5", Uuids.C + ":1-9")]
    [InlineData(Uuids.C + ":1-5:3-4", Uuids.C + ":1-5")]
    [InlineData(Uuids.C + ":1-5:4-8", Uuids.C + ":1-8")]
    [InlineData(Uuids.C + ":10-20:1-3:5", Uuids.C + ":1-3:5:10-20")]
    [InlineData(Uuids.C + ":1-5:7-9", Uuids.C + ":1-5:7-9")]
    [InlineData(Uuids.D + ":1-100," + Uuids.C + ":1-5", Uuids.C + ":1-5," + Uuids.D + ":1-100")]
    [InlineData(Uuids.C + ":1-5,\n" + Uuids.D + ":1-100", Uuids.C + ":1-5," + Uuids.D + ":1-100")]
    [InlineData("  " + Uuids.C + ":1-5 ,\r\n\t" + Uuids.D + ":1 \n", Uuids.C + ":1-5," + Uuids.D + ":1")]
    [InlineData(Uuids.C + ":1-5," + Uuids.C + ":6-8," + Uuids.C + ":20", Uuids.C + ":1-8:20")]
    [InlineData("3E11FA47-71CA-11E1-9E33-C80AA9429562:1", Uuids.C + ":1")]
    [InlineData(Uuids.C + ":1-9223372036854775807", Uuids.C + ":1-9223372036854775807")]
    public void Parse_produces_canonical_text(string text, string canonical)
    {
        Assert.Equal(canonical, GtidSet.Parse(text).ToString());
    }

    [Fact]
    public void Parse_keeps_intervals_per_uuid()
    {
        var set = GtidSet.Parse(Uuids.C + ":1-5:7-9," + Uuids.D + ":3");
        Assert.Equal(new[] { new GtidInterval(1, 5), new GtidInterval(7, 9) }, set.Intervals(Uuids.U(Uuids.C)));
        Assert.Equal(new[] { new GtidInterval(3, 3) }, set.Intervals(Uuids.U(Uuids.D)));
        Assert.Empty(set.Intervals(Uuids.U(Uuids.A)));
        Assert.Equal(new[] { Uuids.U(Uuids.C), Uuids.U(Uuids.D) }, set.Uuids);
    }

    [Theory]
    [InlineData(Uuids.C + ":8-7", "")]
    [InlineData(Uuids.C + ":1-5:8-7", Uuids.C + ":1-5")]
    [InlineData(Uuids.C + ":8-7:1-5", Uuids.C + ":1-5")]
    [InlineData(Uuids.C + ":5-0", "")]
    [InlineData(Uuids.C + ":8-7," + Uuids.D + ":3", Uuids.D + ":3")]
    [InlineData(Uuids.C + ":1-2," + Uuids.C + ":9-4", Uuids.C + ":1-2")]
    public void A_reversed_interval_is_dropped_as_MySQL_and_Vitess_read_it(string text, string expected)
    {
        var set = GtidSet.Parse(text);
        Assert.Equal(GtidSet.Parse(expected), set);
        Assert.Equal(expected, set.ToString());
    }

    [Fact]
    public void Equality_is_on_the_canonical_form()
    {
        Assert.Equal(GtidSet.Parse(Uuids.C + ":1-9"), GtidSet.Parse(Uuids.C + ":6-9:1-5"));
        Assert.Equal(GtidSet.Parse(Uuids.C + ":1-9").GetHashCode(), GtidSet.Parse(Uuids.C + ":1-5:6-9").GetHashCode());
        Assert.NotEqual(GtidSet.Parse(Uuids.C + ":1-9"), GtidSet.Parse(Uuids.C + ":1-8"));
        Assert.NotEqual(GtidSet.Parse(Uuids.C + ":1-9"), GtidSet.Parse(Uuids.D + ":1-9"));
    }

    [Theory]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa942956:1-5", "36 characters")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa942956z:1-5", "not a hex digit")]
    [InlineData("3e11fa4771ca11e19e33c80aa9429562aaaa:1-5", "expected '-'")]
    [InlineData(Uuids.C + ":0-3", "starts at 0")]
    [InlineData(Uuids.C + ":0", "starts at 0")]
    [InlineData(Uuids.C + ":1-x", "'x'")]
    [InlineData(Uuids.C + ":abc", "'a'")]
    [InlineData(Uuids.C + ":-5", "empty number")]
    [InlineData(Uuids.C + ":5-", "empty number")]
    [InlineData(Uuids.C + ":1-2-3", "'-'")]
    [InlineData(Uuids.C + ": 1-5", "' '")]
    [InlineData(Uuids.C + ":tag:5", "'t'")]
    [InlineData(Uuids.C, "no ':'")]
    [InlineData(Uuids.C + "1-5", "no ':'")]
    [InlineData(Uuids.C + ":", "empty interval")]
    [InlineData(Uuids.C + ":1-5:", "empty interval")]
    [InlineData(Uuids.C + ":1-5::7", "empty interval")]
    [InlineData(Uuids.C + ":1-5,", "empty GTID set element")]
    [InlineData("," + Uuids.C + ":1-5", "empty GTID set element")]
    [InlineData(Uuids.C + ":1-5,,", "empty GTID set element")]
    [InlineData(Uuids.C + ":1-5, \n ," + Uuids.D + ":1", "empty GTID set element")]
    [InlineData(Uuids.C + ":1-9223372036854775808", "larger than 9223372036854775807")]
    [InlineData(Uuids.C + ":99999999999999999999", "larger than 9223372036854775807")]
    [InlineData("junk", "no ':'")]
    [InlineData("junk:1", "36 characters")]
    public void Malformed_set_is_rejected_with_the_input_quoted(string text, string expected)
    {
        var error = Assert.Throws<PositionParseException>(() => GtidSet.Parse(text));
        Assert.Contains($"\"{text}\"", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Equal(text, error.Input);
        Assert.IsAssignableFrom<FormatException>(error);

        Assert.False(GtidSet.TryParse(text, out var set, out var message));
        Assert.Null(set);
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Error_names_the_offset_of_the_bad_interval()
    {
        string text = Uuids.C + ":1-5," + Uuids.D + ":0-2";
        var error = Assert.Throws<PositionParseException>(() => GtidSet.Parse(text));
        Assert.Contains($"'0-2' at offset {text.IndexOf("0-2", StringComparison.Ordinal)}", error.Message);
    }

    [Fact]
    public void TryParse_accepts_valid_text()
    {
        Assert.True(GtidSet.TryParse(Uuids.C + ":1-5", out var set, out var error));
        Assert.Null(error);
        Assert.Equal(5, set!.Count);
    }
}
