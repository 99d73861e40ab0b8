using Vtorc.Agent.Flavors;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>The _vt.reparent_journal statements.</summary>
public sealed class ReparentJournalTests
{
    [Fact]
    public void Create_statements_match_the_vitess_layout()
    {
        Assert.Equal(
            [
                "CREATE DATABASE IF NOT EXISTS _vt",
                "CREATE TABLE IF NOT EXISTS _vt.reparent_journal (time_created_ns BIGINT UNSIGNED NOT NULL, action_name VARBINARY(250) NOT NULL, "
                + "primary_alias VARBINARY(32) NOT NULL, replication_position VARBINARY(64000) DEFAULT NULL, PRIMARY KEY (time_created_ns)) ENGINE=InnoDB",
            ],
            ReparentJournal.CreateStatements());
    }

    [Fact]
    public void Insert_quotes_every_string()
    {
        Assert.Equal(
            "INSERT INTO _vt.reparent_journal (time_created_ns, action_name, primary_alias, replication_position) VALUES "
            + "(1700000000123456789, 'PlannedReparentShard', 'zone1-0000000101', 'MariaDB/0-101-42')",
            ReparentJournal.Insert(1700000000123456789, "PlannedReparentShard", "zone1-0000000101", "MariaDB/0-101-42"));
        Assert.Equal(
            "INSERT INTO _vt.reparent_journal (time_created_ns, action_name, primary_alias, replication_position) VALUES (1, 'a\\'b', 'c\\\\', '')",
            ReparentJournal.Insert(1, "a'b", "c\\", ""));
    }

    [Fact]
    public void Insert_rejects_negative_times_and_oversized_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReparentJournal.Insert(-1, "a", "b", ""));
        var error = Assert.Throws<ArgumentException>(() => ReparentJournal.Insert(1, "a", new string('z', 33), ""));
        Assert.Contains("primaryAlias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Count_and_row_queries()
    {
        Assert.Equal("SELECT COUNT(*) FROM _vt.reparent_journal", ReparentJournal.CountQuery);
        Assert.Equal("SELECT action_name, primary_alias, replication_position FROM _vt.reparent_journal WHERE time_created_ns = 42",
            ReparentJournal.RowExistsQuery(42));
        Assert.Equal(3, ReparentJournal.ParseCount("3"));
        Assert.Throws<FormatException>(() => ReparentJournal.ParseCount(null));
        Assert.Throws<FormatException>(() => ReparentJournal.ParseCount("-1"));
    }
}
