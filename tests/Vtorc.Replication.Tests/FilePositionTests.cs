namespace Vtorc.Replication.Tests;

public sealed class FilePositionTests
{
    [Theory]
    [InlineData("mysql-bin.000003:1547", "mysql-bin.000003:1547", true)]
    [InlineData("mysql-bin.000003:1547", "mysql-bin.000003:1546", true)]
    [InlineData("mysql-bin.000003:1547", "mysql-bin.000003:1548", false)]
    [InlineData("mysql-bin.000004:4", "mysql-bin.000003:999999", true)]
    [InlineData("mysql-bin.000003:999999", "mysql-bin.000004:4", false)]
    [InlineData("mysql-bin.1000000:4", "mysql-bin.999999:100", true)]
    [InlineData("mysql-bin.999999:100", "mysql-bin.1000000:4", false)]
    [InlineData("b-bin.000001:4", "a-bin.000009:4", true)]
    public void Contains_orders_by_file_then_offset(string left, string right, bool expected)
    {
        Assert.Equal(expected, FilePosition.Parse(left).Contains(FilePosition.Parse(right)));
    }

    [Fact]
    public void Parse_splits_at_the_last_colon()
    {
        var position = FilePosition.Parse("dir:name.000001:120");
        Assert.Equal("dir:name.000001", position.File);
        Assert.Equal(120, position.Offset);
        Assert.Equal("dir:name.000001:120", position.ToString());
    }

    [Theory]
    [InlineData("mysql-bin.000003", "no ':offset'")]
    [InlineData("mysql-bin.000003:", "empty offset")]
    [InlineData(":1547", "empty binlog file name")]
    [InlineData("mysql-bin.000003:15x7", "'x'")]
    [InlineData("mysql-bin.000003:9223372036854775808", "larger than 9223372036854775807")]
    public void Malformed_file_position_is_rejected_with_the_input_quoted(string text, string expected)
    {
        var error = Assert.Throws<PositionParseException>(() => FilePosition.Parse(text));
        Assert.Contains($"\"{text}\"", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
