using MySqlConnector;
using System.Net;
using System.Net.Sockets;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;

namespace Vtorc.Agent.Tests.MySql;

[Collection(MariaDbCollection.Name)]
[NeedsExternalProcess]
public sealed class MySqlConnectionTests(MariaDbFixture fixture)
{
    private MariaDbProcess Server => fixture.Primary;

    [Fact]
    public async Task Connects_over_tcp_and_selects_one()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);

        var result = await connection.QueryAsync("SELECT 1", Deadline.In());

        Assert.Equal(["1"], result.Columns);
        var row = Assert.Single(result.Rows);
        Assert.Equal("1", row[0]);
        Assert.Contains("MariaDB", connection.ServerVersion, StringComparison.Ordinal);
        Assert.True(connection.ServerThread > 0);
    }

    [Fact]
    public async Task Connects_over_the_unix_socket_as_the_account_and_as_root()
    {
        var socketOptions = MariaDbFixture.OptionsFor(Server) with { UnixSocket = Server.SocketPath };
        using var account = await MySqlCalls.OpenAsync(socketOptions, Deadline.In());
        using var root = await MySqlCalls.OpenAsync(socketOptions with { User = Server.RootUser, Password = "" }, Deadline.In());

        var accountUser = (await account.QueryAsync("SELECT CURRENT_USER() AS u", Deadline.In())).Rows[0]["u"];
        var rootUser = (await root.QueryAsync("SELECT CURRENT_USER() AS u", Deadline.In())).Rows[0]["u"];

        Assert.Equal($"{Server.User}@localhost", accountUser);
        Assert.Equal("root@localhost", rootUser);
    }

    [Fact]
    public async Task Columns_are_named_and_found_case_insensitively_and_null_is_null()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);

        var result = await connection.QueryAsync("SELECT 'x' AS Some_Text, NULL AS Nothing, '' AS Empty, 42 AS Answer", Deadline.In());

        Assert.Equal(["Some_Text", "Nothing", "Empty", "Answer"], result.Columns);
        var row = Assert.Single(result.Rows);
        Assert.Equal("x", row["some_text"]);
        Assert.Null(row["NOTHING"]);
        Assert.Equal("", row["Empty"]);
        Assert.Equal("42", row["Answer"]);
        Assert.True(row.TryGetValue("nothing", out var nothing));
        Assert.Null(nothing);
        Assert.False(row.HasColumn("Missing"));
        var missing = Assert.Throws<KeyNotFoundException>(() => row["Missing"]);
        Assert.Contains("\"Missing\"", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Some_Text", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Returns_every_row_of_a_multi_row_result_in_order()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);

        var result = await connection.QueryAsync("WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 500) "
            + "SELECT n AS seq, CONCAT('row', n) AS name FROM s ORDER BY n", Deadline.In());

        Assert.Equal(500, result.Rows.Count);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), result.Rows.Select(r => r["seq"]));
        Assert.Equal("row500", result.Rows[^1]["name"]);
    }

    [Fact]
    public async Task Ddl_and_dml_report_affected_rows()
    {
        var schema = MariaDbFixture.NewSchema("dml");
        using var connection = await MariaDbFixture.OpenAsync(Server);
        try
        {
            Assert.Equal(1, await connection.ExecuteAsync($"CREATE DATABASE {schema}", Deadline.In()));
            Assert.Equal(0, await connection.ExecuteAsync($"CREATE TABLE {schema}.t (id INT PRIMARY KEY, v VARCHAR(20))", Deadline.In()));

            var insert = await connection.QueryAsync($"INSERT INTO {schema}.t VALUES (1, 'a'), (2, 'b'), (3, 'c')", Deadline.In());
            var update = await connection.ExecuteAsync($"UPDATE {schema}.t SET v = 'z' WHERE id >= 2", Deadline.In());
            var unchanged = await connection.ExecuteAsync($"UPDATE {schema}.t SET v = 'z' WHERE id >= 2", Deadline.In());
            var delete = await connection.ExecuteAsync($"DELETE FROM {schema}.t WHERE id = 1", Deadline.In());

            Assert.False(insert.HasResultSet);
            Assert.Equal(3, insert.AffectedRows);
            Assert.Equal(2, update);
            Assert.Equal(0, unchanged);
            Assert.Equal(1, delete);
        }
        finally
        {
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {schema}", Deadline.In());
        }
    }

    [Fact]
    public async Task Multiple_statements_run_in_order_and_give_the_first_result_set()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);

        var result = await connection.QueryAsync("DO 0; SELECT 1 AS a; SELECT 'two' AS b, 3 AS c", Deadline.In());
        var failed = await Assert.ThrowsAsync<MySqlCallException>(() => connection.QueryAsync("SELECT 1; SELECT * FROM no_such_schema.t", Deadline.In()));

        Assert.Equal(["a"], result.Columns);
        Assert.Equal("1", result.Rows[0]["a"]);
        Assert.Equal(MySqlErrorCode.NoSuchTable, failed.ErrorCode);
        // The connection is usable afterwards: every result was read.
        Assert.Equal("ok", (await connection.QueryAsync("SELECT 'ok'", Deadline.In())).Rows[0][0]);
    }

    [Fact]
    public async Task A_syntax_error_carries_errno_1064_in_the_vitess_message_form()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);
        const string sql = "SELEC nonsense FROM";

        var error = await Assert.ThrowsAsync<MySqlCallException>(() => connection.QueryAsync(sql, Deadline.In()));

        Assert.Equal(1064, error.Number);
        Assert.Equal("42000", error.SqlState);
        Assert.StartsWith("You have an error in your SQL syntax", error.ServerMessage, StringComparison.Ordinal);
        Assert.Equal($"{error.ServerMessage} (errno 1064) (sqlstate 42000) during query: {sql}", error.Message);
        Assert.False(error.IsConnectionError);
        // A statement error leaves the connection usable.
        Assert.False(connection.State != System.Data.ConnectionState.Open);
        Assert.Equal("1", (await connection.QueryAsync("SELECT 1", Deadline.In())).Rows[0][0]);
    }

    [Fact]
    public async Task A_wrong_password_gives_errno_1045_naming_the_user_and_the_server()
    {
        var options = MariaDbFixture.OptionsFor(Server) with { Password = "not-the-password" };

        var error = await Assert.ThrowsAsync<MySqlCallException>(() => MySqlCalls.OpenAsync(options, Deadline.In()));

        Assert.Equal(MySqlErrorCode.AccessDenied, error.ErrorCode);
        Assert.Equal("28000", error.SqlState);
        Assert.Contains($"Access denied for user '{Server.User}'@'127.0.0.1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("(errno 1045) (sqlstate 28000)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"connecting to {Server.Endpoint} as user '{Server.User}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_fails_naming_host_and_port()
    {
        var port = PortWithoutListener();
        var options = MariaDbFixture.OptionsFor(Server) with { Port = port, ConnectTimeout = TimeSpan.FromSeconds(2) };

        var error = await Assert.ThrowsAsync<MySqlCallException>(() => MySqlCalls.OpenAsync(options, Deadline.In()));

        Assert.Equal(MySqlCallException.ConnHostError, error.Number);
        Assert.True(error.IsConnectionError);
        Assert.Contains($"connecting to 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{port}", error.Endpoint);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_greets_fails_by_the_timeouts_instead_of_hanging()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptSocketAsync();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var options = MariaDbFixture.OptionsFor(Server) with
        {
            Port = port,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            CommandTimeout = TimeSpan.FromSeconds(1),
        };

        // The 60 s token is only a safety net: the connector's own timeouts must end the attempt.
        var error = await Assert.ThrowsAsync<MySqlCallException>(() => MySqlCalls.OpenAsync(options, Deadline.In(60)));

        Assert.True(error.IsConnectionError, error.Message);
        Assert.Contains($"connecting to 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task A_statement_longer_than_the_command_timeout_is_killed_on_the_server_and_the_connection_stays_usable()
    {
        using var observer = await MariaDbFixture.OpenAsync(Server);
        var options = MariaDbFixture.OptionsFor(Server) with { CommandTimeout = TimeSpan.FromSeconds(1) };
        using var connection = await MySqlCalls.OpenAsync(options, Deadline.In());

        // The 60 s token is only a safety net: the command timeout must end the call.
        var error = await Assert.ThrowsAsync<MySqlCallException>(() => connection.QueryAsync("SELECT SLEEP(30) AS slept", Deadline.In(60)));

        Assert.Equal(MySqlCallException.ServerLost, error.Number);
        Assert.IsType<MySqlException>(error.InnerException);
        Assert.Equal(MySqlErrorCode.CommandTimeoutExpired, ((MySqlException)error.InnerException).ErrorCode);
        Assert.Contains("(errno 2013)", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsConnectionError, "a server that did not answer in time counts as unreachable");
        Assert.Contains("during query: SELECT SLEEP(30)", error.Message, StringComparison.Ordinal);
        await AssertNoStatementOfAsync(observer, connection.ServerThread, "SLEEP");
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal("1", (await connection.QueryAsync("SELECT 1", Deadline.In())).Rows[0][0]);
    }

    [Fact]
    public async Task Cancelling_a_running_query_kills_it_on_the_server_and_the_connection_stays_usable()
    {
        using var observer = await MariaDbFixture.OpenAsync(Server);
        using var connection = await MariaDbFixture.OpenAsync(Server);
        using var cancel = new CancellationTokenSource();

        var running = connection.QueryAsync("SELECT SLEEP(30) AS slept", cancel.Token);
        await Poll.UntilAsync(async () =>
        {
            var list = await observer.QueryAsync(
                $"SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = {connection.ServerThread} AND INFO LIKE '%SLEEP%'",
                Deadline.In());
            return list.Rows[0]["n"] == "1";
        }, TimeSpan.FromSeconds(10), "the SLEEP query is running on the server");
        await cancel.CancelAsync();

        // Well before the 30 s the statement would take: the server ended it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(20)));
        await AssertNoStatementOfAsync(observer, connection.ServerThread, "SLEEP");
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal("1", (await connection.QueryAsync("SELECT 1", Deadline.In())).Rows[0][0]);
    }

    [Fact]
    public async Task A_pooled_connection_killed_on_the_server_is_replaced_not_reused()
    {
        using var observer = await MariaDbFixture.OpenAsync(Server);
        // Options of this test alone, so that it has a pool of its own.
        var options = MariaDbFixture.OptionsFor(Server) with { ConnectTimeout = TimeSpan.FromSeconds(7) };
        int killedThread;
        await using (var first = await MySqlCalls.OpenAsync(options, Deadline.In(), pooled: true))
        {
            killedThread = first.ServerThread;
            await first.ExecuteAsync("SET @marker = 1", Deadline.In());
        }
        await observer.ExecuteAsync($"KILL {killedThread}", Deadline.In());

        await using var next = await MySqlCalls.OpenAsync(options, Deadline.In(), pooled: true);

        Assert.NotEqual(killedThread, next.ServerThread);
        Assert.Equal("1", (await next.QueryAsync("SELECT 1", Deadline.In())).Rows[0][0]);
        // A pooled connection starts with a clean session either way.
        Assert.Null((await next.QueryAsync("SELECT @marker", Deadline.In())).Rows[0][0]);
    }

    [Fact]
    public async Task Tls_is_off_by_default_and_required_tls_fails_naming_the_server_when_it_has_none()
    {
        var options = MariaDbFixture.OptionsFor(Server);
        Assert.Equal(MySqlSslMode.Disabled, new MySqlConnectionStringBuilder(options.ConnectionString(pooling: false)).SslMode);
        using (var plain = await MySqlCalls.OpenAsync(options, Deadline.In()))
        {
            var cipher = (await plain.QueryAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", Deadline.In())).Rows[0][1];
            Assert.Equal("", cipher);
        }
        using (var probe = await MariaDbFixture.OpenAsync(Server))
        {
            var haveSsl = (await probe.QueryAsync("SELECT @@have_ssl", Deadline.In())).Rows[0][0];
            Assert.True(haveSsl != "YES", "the test servers (MariaDbProcess) are expected to run without TLS");
        }

        var error = await Assert.ThrowsAsync<MySqlCallException>(() => MySqlCalls.OpenAsync(options with { SslMode = MySqlSslMode.Required }, Deadline.In()));

        Assert.True(error.IsConnectionError);
        Assert.Contains($"connecting to {Server.Endpoint}", error.Message, StringComparison.Ordinal);
    }

    private static async Task AssertNoStatementOfAsync(MySqlConnection observer, int thread, string text) =>
        await Poll.UntilAsync(async () =>
        {
            var list = await observer.QueryAsync(
                $"SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = {thread} AND INFO LIKE '%{text}%'", Deadline.In());
            return list.Rows[0]["n"] == "0";
        }, TimeSpan.FromSeconds(20), $"no statement with {text} left on the server for connection {thread}");

    [Fact]
    public async Task StringQuoter_escapes_quotes_backslashes_and_nul_so_the_server_reads_the_value_back()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);
        const string value = "it's a \"test\" \\ with\0nul\nand é ünïcode";

        var literal = (await connection.StringQuoterAsync(Deadline.In()))(value);
        var result = await connection.QueryAsync($"SELECT {literal} AS v", Deadline.In());

        Assert.StartsWith("'", literal, StringComparison.Ordinal);
        Assert.Equal(value, result.Rows[0]["v"]);
    }

    [Fact]
    public async Task StringQuoter_follows_no_backslash_escapes_mode()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);
        await connection.ExecuteAsync("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')", Deadline.In());
        const string value = @"C:\path\it's";

        var literal = (await connection.StringQuoterAsync(Deadline.In()))(value);
        var result = await connection.QueryAsync($"SELECT {literal} AS v", Deadline.In());

        Assert.Equal("'C:\\path\\it''s'", literal);
        Assert.Equal(value, result.Rows[0]["v"]);
    }

    [Fact]
    public async Task Ping_succeeds_on_a_live_connection()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);

        Assert.True(await connection.PingAsync(Deadline.In()));
    }

    [Fact]
    public async Task Calls_after_dispose_fail()
    {
        var connection = await MariaDbFixture.OpenAsync(Server);
        connection.Dispose();

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => connection.QueryAsync("SELECT 1", Deadline.In()));
    }

    [Fact]
    public async Task Flavor_of_the_real_server_is_mariadb_with_a_normalised_version()
    {
        using var connection = await MariaDbFixture.OpenAsync(Server);

        var flavor = await MySqlFlavor.DetectAsync(connection, Deadline.In());

        Assert.Equal(MySqlServerKind.MariaDb, flavor.Kind);
        Assert.Matches(@"^\d+\.\d+\.\d+$", flavor.Version);
        Assert.Contains(flavor.Version + "-MariaDB", connection.ServerVersion, StringComparison.Ordinal);
        Assert.Equal("MariaDB", flavor.PositionFlavor);
        Assert.Equal($"MariaDB {flavor.Major}.{flavor.Minor}", flavor.Family);
    }

    [Fact]
    public async Task Invalid_options_are_rejected_naming_the_setting()
    {
        var options = MariaDbFixture.OptionsFor(Server) with { Port = 70000 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => MySqlCalls.OpenAsync(options, Deadline.In()));

        Assert.Contains("70000", error.Message, StringComparison.Ordinal);
    }

    private static int PortWithoutListener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
