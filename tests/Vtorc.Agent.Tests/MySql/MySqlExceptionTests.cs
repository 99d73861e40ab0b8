using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Tests.MySql;

public sealed class MySqlExceptionTests
{
    [Fact]
    public void Message_has_the_vitess_errno_and_sqlstate_form()
    {
        var error = new MySqlCallException(1146, "42S02", "Table 'x.y' doesn't exist", "SELECT * FROM x.y");

        Assert.Equal("Table 'x.y' doesn't exist (errno 1146) (sqlstate 42S02) during query: SELECT * FROM x.y", error.Message);
        Assert.False(error.IsConnectionError);
    }

    [Theory]
    [InlineData("CHANGE MASTER TO MASTER_HOST='h', MASTER_PASSWORD='s3cret', MASTER_PORT=1")]
    [InlineData("CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = \"s3cret\"")]
    [InlineData("CREATE USER 'a'@'%' IDENTIFIED BY 's3cret'")]
    [InlineData("SET PASSWORD FOR 'a'@'%' = PASSWORD('s3cret')")]
    [InlineData("CHANGE MASTER TO MASTER_PASSWORD='it''s s3cret \\' still'")]
    public void Passwords_in_the_query_are_redacted(string query)
    {
        var error = new MySqlCallException(1064, "42000", "syntax", query);

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Query, StringComparison.Ordinal);
        Assert.Contains("'****'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_failures_name_the_endpoint_and_user()
    {
        var error = new MySqlCallException(2003, "HY000", "Can't connect to server on '10.0.0.1' (111)", endpoint: "10.0.0.1:3306", user: "vt");

        Assert.Equal("Can't connect to server on '10.0.0.1' (111) (errno 2003) (sqlstate HY000) connecting to 10.0.0.1:3306 as user 'vt'",
            error.Message);
        Assert.True(error.IsConnectionError);
    }

    [Fact]
    public void Very_long_queries_are_cut_in_the_message()
    {
        var query = "SELECT '" + new string('x', 10_000) + "'";

        var error = new MySqlCallException(1064, "42000", "syntax", query);

        Assert.True(error.Message.Length < 3000, $"message length {error.Message.Length}");
        Assert.EndsWith("[truncated]", error.Message, StringComparison.Ordinal);
    }
}
