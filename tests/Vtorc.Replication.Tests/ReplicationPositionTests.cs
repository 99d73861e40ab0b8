namespace Vtorc.Replication.Tests;

public sealed class ReplicationPositionTests
{
    private static ReplicationPosition P(string text) => ReplicationPosition.Parse(text);

    [Theory]
    [InlineData("", PositionFlavor.None, "")]
    [InlineData("MySQL56/", PositionFlavor.MySql56, "MySQL56/")]
    [InlineData("MySQL56/" + Uuids.D + ":1-100,\n" + Uuids.C + ":1-5:7-9", PositionFlavor.MySql56, "MySQL56/" + Uuids.C + ":1-5:7-9," + Uuids.D + ":1-100")]
    [InlineData("MariaDB/1-2-50,0-1-100", PositionFlavor.MariaDb, "MariaDB/0-1-100,1-2-50")]
    [InlineData("MariaDB/", PositionFlavor.MariaDb, "MariaDB/")]
    [InlineData("FilePos/mysql-bin.000003:1547", PositionFlavor.FilePos, "FilePos/mysql-bin.000003:1547")]
    public void Parse_reads_flavor_and_value(string text, PositionFlavor flavor, string canonical)
    {
        var position = P(text);
        Assert.Equal(flavor, position.Flavor);
        Assert.Equal(canonical, position.ToString());
        Assert.Equal(position, P(canonical));
    }

    [Fact]
    public void Payload_matches_the_flavor()
    {
        var mysql = P("MySQL56/" + Uuids.C + ":1-5");
        Assert.NotNull(mysql.GtidSet);
        Assert.Null(mysql.MariaDb);
        Assert.Null(mysql.File);
        Assert.True(mysql.IsGtidBased);
        Assert.Equal(5, mysql.GtidSet!.Count);

        var maria = P("MariaDB/0-1-100");
        Assert.Equal(100UL, maria.MariaDb!.ForDomain(0)!.Value.Sequence);
        var file = P("FilePos/mysql-bin.000003:1547");
        Assert.Equal(new FilePosition("mysql-bin.000003", 1547), file.File);
        Assert.False(file.IsGtidBased);
    }

    [Fact]
    public void Empty_is_only_the_empty_string()
    {
        Assert.Same(ReplicationPosition.Empty, P(""));
        Assert.True(ReplicationPosition.Empty.IsEmpty);
        Assert.False(ReplicationPosition.Empty.HasTransactions);
        var noTransactions = P("MySQL56/");
        Assert.False(noTransactions.IsEmpty);
        Assert.False(noTransactions.HasTransactions);
        Assert.NotEqual(ReplicationPosition.Empty, noTransactions);
    }

    [Fact]
    public void A_position_with_a_reversed_interval_reads_without_it()
    {
        var position = P("MySQL56/" + Uuids.C + ":1-5:8-7," + Uuids.D + ":9-4");
        Assert.Equal(P("MySQL56/" + Uuids.C + ":1-5"), position);
        Assert.Equal(5, position.GtidSet!.Count);
        Assert.False(P("MySQL56/" + Uuids.C + ":8-7").HasTransactions);
    }

    [Theory]
    [InlineData("MySQL56", "no '/'")]
    [InlineData("junk", "no '/'")]
    [InlineData(" ", "no '/'")]
    [InlineData("mysql56/" + Uuids.C + ":1", "unknown flavor 'mysql56'")]
    [InlineData("MySQL/" + Uuids.C + ":1", "unknown flavor 'MySQL'")]
    [InlineData("/" + Uuids.C + ":1", "unknown flavor ''")]
    [InlineData("MySQL56/" + Uuids.C + ":0-3", "starts at 0")]
    [InlineData("MySQL56/" + Uuids.C, "no ':'")]
    [InlineData("MySQL56/" + Uuids.C + ":1,", "empty GTID set element")]
    [InlineData("MySQL56/3e11fa47-71ca-11e1-9e33-c80aa94295:1", "36 characters")]
    [InlineData("MySQL56/" + Uuids.C + ":1-99999999999999999999", "larger than 9223372036854775807")]
    [InlineData("MariaDB/0-1", "not domain-server-sequence")]
    [InlineData("MariaDB/0-1-5,0-2-6", "appears twice")]
    [InlineData("FilePos/mysql-bin.000003", "no ':offset'")]
    [InlineData("FilePos/mysql-bin.000003:", "empty offset")]
    public void Malformed_position_is_rejected_with_the_whole_input_quoted(string text, string expected)
    {
        var error = Assert.Throws<PositionParseException>(() => P(text));
        Assert.Contains($"\"{text}\"", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.False(ReplicationPosition.TryParse(text, out var position, out var message));
        Assert.Null(position);
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Offsets_in_errors_count_from_the_start_of_the_whole_position()
    {
        string text = "MySQL56/" + Uuids.C + ":0-2";
        var error = Assert.Throws<PositionParseException>(() => P(text));
        Assert.Contains($"at offset {text.IndexOf("0-2", StringComparison.Ordinal)}", error.Message);
    }

    [Theory]
    [InlineData("MySQL56/" + Uuids.C + ":1-10", "MySQL56/" + Uuids.C + ":1-5", true)]
    [InlineData("MySQL56/" + Uuids.C + ":1-5", "MySQL56/" + Uuids.C + ":1-10", false)]
    [InlineData("MySQL56/" + Uuids.C + ":1-5", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "MySQL56/" + Uuids.C + ":1", false)]
    [InlineData("", "MySQL56/", false)]
    [InlineData("MySQL56/", "MySQL56/", true)]
    [InlineData("MySQL56/", "MySQL56/" + Uuids.C + ":1", false)]
    [InlineData("MariaDB/0-1-100", "MariaDB/0-2-90", true)]
    [InlineData("FilePos/b.000002:4", "FilePos/b.000001:900", true)]
    [InlineData("MySQL56/" + Uuids.C + ":1-5", "MariaDB/0-1-1", false)]
    [InlineData("MariaDB/0-1-1", "MySQL56/" + Uuids.C + ":1-5", false)]
    [InlineData("FilePos/b.000002:4", "MariaDB/0-1-1", false)]
    [InlineData("MySQL56/" + Uuids.C + ":1-5", "FilePos/b.000001:4", false)]
    public void Contains_follows_the_table_and_never_crosses_flavors(string left, string right, bool expected)
    {
        Assert.Equal(expected, P(left).Contains(P(right)));
    }

    [Theory]
    [InlineData("MySQL56/" + Uuids.C + ":1-5", "MySQL56/" + Uuids.C + ":6-9," + Uuids.D + ":1", "MySQL56/" + Uuids.C + ":1-9," + Uuids.D + ":1")]
    [InlineData("MariaDB/0-1-100", "MariaDB/0-2-120,1-1-1", "MariaDB/0-2-120,1-1-1")]
    [InlineData("FilePos/b.000001:900", "FilePos/b.000002:4", "FilePos/b.000002:4")]
    [InlineData("", "MariaDB/0-1-1", "MariaDB/0-1-1")]
    [InlineData("MariaDB/0-1-1", "", "MariaDB/0-1-1")]
    public void Union_of_the_same_flavor(string left, string right, string expected)
    {
        Assert.Equal(expected, P(left).Union(P(right)).ToString());
    }

    [Fact]
    public void Union_across_flavors_names_both_positions()
    {
        var error = Assert.Throws<ArgumentException>(() => P("MySQL56/" + Uuids.C + ":1").Union(P("MariaDB/0-1-1")));
        Assert.Contains("\"MySQL56/" + Uuids.C + ":1\"", error.Message);
        Assert.Contains("\"MariaDB/0-1-1\"", error.Message);
    }

    [Fact]
    public void Equality_is_structural_and_flavor_sensitive()
    {
        Assert.Equal(P("MySQL56/" + Uuids.C + ":1-5:6-9"), P("MySQL56/" + Uuids.C + ":1-9"));
        Assert.True(P("MariaDB/0-1-1") == P("MariaDB/0-1-1"));
        Assert.True(P("MariaDB/") != P("MySQL56/"));
        Assert.Equal(P("FilePos/a.000001:4").GetHashCode(), P("FilePos/a.000001:4").GetHashCode());
    }
}
