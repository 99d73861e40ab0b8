using Vtorc.Agent.Flavors;

namespace Vtorc.Agent.Tests.Flavors;

/// <summary>Flavor choice, settings validation, quoting, status-variable queries, thread states and wait results.</summary>
public sealed class FlavorHelpersTests
{
    [Theory]
    [InlineData("10.5.20-MariaDB", "mariadb.org binary distribution")]
    [InlineData("5.7.44-log", "MySQL Community Server (GPL)")]
    public void Old_servers_are_refused_quoting_their_version(string version, string comment)
    {
        var error = Assert.Throws<NotSupportedException>(() => ReplicationFlavors.For(version, comment));
        Assert.Contains(version, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mariadb_10_6_and_11_are_mariadb()
    {
        Assert.Equal("MariaDB", ReplicationFlavors.For("10.6.16-MariaDB", "").Name);
        Assert.Equal("MariaDB", ReplicationFlavors.For("11.4.2-MariaDB-log", "").Name);
    }

    [Fact]
    public void Source_settings_reject_bad_values_and_never_print_the_password()
    {
        Assert.Throws<ArgumentException>(() => new ReplicationSourceSettings("", 3306, "u", "p"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSourceSettings("h", 0, "u", "p"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSourceSettings("h", 65536, "u", "p"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSourceSettings("h", 1, "u", "p") { HeartbeatIntervalSeconds = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSourceSettings("h", 1, "u", "p") { HeartbeatIntervalSeconds = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSourceSettings("h", 1, "u", "p") { ConnectRetrySeconds = -1 });

        var text = new ReplicationSourceSettings("h", 1, "u", "hunter2").ToString();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("u@h:1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", @"'it\'s'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData("say \"hi\"", "'say \\\"hi\\\"'")]
    [InlineData("nul\0line\nreturn\rctrlz\x1a", @"'nul\0line\nreturn\rctrlz\Z'")]
    [InlineData(@"\'; DROP TABLE x; -- ", @"'\\\'; DROP TABLE x; -- '")]
    public void Sql_literal_escapes_everything_that_could_end_the_string(string value, string expected)
    {
        Assert.Equal(expected, SqlLiteral.Quote(value));
    }

    [Fact]
    public void Global_status_query_lists_the_names()
    {
        Assert.Equal("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_data', 'Uptime')",
            ServerVariables.GlobalStatusQuery(["Innodb_buffer_pool_pages_data", "Uptime"]));
        Assert.Equal("SHOW GLOBAL STATUS", ServerVariables.GlobalStatusQuery([]));
        Assert.Equal("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('read_only')", ServerVariables.GlobalVariablesQuery(["read_only"]));
    }

    [Theory]
    [InlineData("Uptime'); DROP TABLE x; --")]
    [InlineData("name with space")]
    [InlineData("")]
    [InlineData("%")]
    public void Global_status_query_rejects_names_outside_the_safe_alphabet(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => ServerVariables.GlobalStatusQuery(["Uptime", name]));
        Assert.Contains($"\"{name}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variable_rows_become_a_case_insensitive_dictionary()
    {
        var rows = new[]
        {
            RowValues.From(new Dictionary<string, string?> { ["Variable_name"] = "Uptime", ["Value"] = "42" }),
            RowValues.From(new Dictionary<string, string?> { ["Variable_name"] = "gtid_purged", ["Value"] = null }),
        };

        var values = ServerVariables.ToDictionary(rows);

        Assert.Equal("42", values["uptime"]);
        Assert.Equal("", values["GTID_PURGED"]);
        Assert.Throws<FormatException>(() => ServerVariables.ToDictionary([RowValues.From(new Dictionary<string, string?> { ["x"] = "1" })]));
    }

    [Theory]
    [InlineData("Yes", ReplicationThreadState.Running)]
    [InlineData("on", ReplicationThreadState.Running)]
    [InlineData("TRUE", ReplicationThreadState.Running)]
    [InlineData("No", ReplicationThreadState.Stopped)]
    [InlineData("OFF", ReplicationThreadState.Stopped)]
    [InlineData("false", ReplicationThreadState.Stopped)]
    [InlineData("Connecting", ReplicationThreadState.Connecting)]
    [InlineData("Preparing", ReplicationThreadState.Unknown)]
    [InlineData("", ReplicationThreadState.Unknown)]
    [InlineData(null, ReplicationThreadState.Unknown)]
    public void Thread_states_map_to_the_wire_numbers(string? text, int expected)
    {
        Assert.Equal(expected, ReplicationThreadState.Parse(text));
    }

    [Theory]
    [InlineData(PositionWaitKind.MariaDbGtid, "0", PositionWaitOutcome.Reached)]
    [InlineData(PositionWaitKind.MariaDbGtid, "-1", PositionWaitOutcome.TimedOut)]
    [InlineData(PositionWaitKind.MariaDbGtid, null, PositionWaitOutcome.Failed)]
    [InlineData(PositionWaitKind.MySqlGtid, "0", PositionWaitOutcome.Reached)]
    [InlineData(PositionWaitKind.MySqlGtid, "1", PositionWaitOutcome.TimedOut)]
    [InlineData(PositionWaitKind.MySqlGtid, null, PositionWaitOutcome.Failed)]
    [InlineData(PositionWaitKind.FilePosition, "0", PositionWaitOutcome.Reached)]
    [InlineData(PositionWaitKind.FilePosition, "17", PositionWaitOutcome.Reached)]
    [InlineData(PositionWaitKind.FilePosition, "-1", PositionWaitOutcome.TimedOut)]
    [InlineData(PositionWaitKind.FilePosition, null, PositionWaitOutcome.Failed)]
    public void Wait_results_are_read_per_function(PositionWaitKind kind, string? value, PositionWaitOutcome expected)
    {
        Assert.Equal(expected, new PositionWait("SELECT …", kind).Interpret(value));
    }

    [Fact]
    public void Wait_result_that_is_not_a_number_is_quoted()
    {
        var error = Assert.Throws<FormatException>(() => new PositionWait("SELECT MASTER_GTID_WAIT('0-1-1', 1)", PositionWaitKind.MariaDbGtid).Interpret("abc"));
        Assert.Contains("\"abc\"", error.Message, StringComparison.Ordinal);
    }
}
