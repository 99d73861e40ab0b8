using MySqlConnector;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;

namespace Vtorc.Agent.Tests.MySql;

/// <summary>The launcher's settings, restarts and crashes, checked through the MySQL binding.</summary>
[Collection(MariaDbCollection.Name)]
[NeedsExternalProcess]
public sealed class MariaDbServerTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task Servers_have_distinct_ids_and_gtid_binlog_settings_for_replication()
    {
        using var primary = await MariaDbFixture.OpenAsync(fixture.Primary);
        using var replica = await MariaDbFixture.OpenAsync(fixture.Replica);
        const string sql = "SELECT @@server_id AS server_id, @@log_bin AS log_bin, @@log_slave_updates AS log_slave_updates, "
            + "@@binlog_format AS binlog_format, @@gtid_strict_mode AS gtid_strict_mode, @@report_host AS report_host, "
            + "@@report_port AS report_port";

        var p = (await primary.QueryAsync(sql, Deadline.In())).Rows[0];
        var r = (await replica.QueryAsync(sql, Deadline.In())).Rows[0];

        Assert.Equal(fixture.Primary.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture), p["server_id"]);
        Assert.Equal(fixture.Replica.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture), r["server_id"]);
        Assert.NotEqual(p["server_id"], r["server_id"]);
        foreach (var (row, server) in new[] { (p, fixture.Primary), (r, fixture.Replica) })
        {
            Assert.Equal("1", row["log_bin"]);
            Assert.Equal("1", row["log_slave_updates"]);
            Assert.Equal("ROW", row["binlog_format"]);
            Assert.Equal("1", row["gtid_strict_mode"]);
            Assert.Equal("127.0.0.1", row["report_host"]);
            Assert.Equal(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), row["report_port"]);
        }
    }

    [Fact]
    public async Task Semi_sync_is_built_in_and_can_be_switched_on_and_off()
    {
        using var connection = await MariaDbFixture.OpenAsync(fixture.Primary);

        var variables = await connection.QueryAsync(
            "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('rpl_semi_sync_master_enabled', 'rpl_semi_sync_slave_enabled', "
            + "'rpl_semi_sync_master_timeout')", Deadline.In());
        try
        {
            await connection.ExecuteAsync("SET GLOBAL rpl_semi_sync_master_enabled = ON", Deadline.In());
            var on = await connection.QueryAsync("SELECT @@rpl_semi_sync_master_enabled AS enabled", Deadline.In());
            Assert.Equal("1", on.Rows[0]["enabled"]);
        }
        finally
        {
            await connection.ExecuteAsync("SET GLOBAL rpl_semi_sync_master_enabled = OFF", Deadline.In());
        }

        Assert.Equal(
            ["rpl_semi_sync_master_enabled", "rpl_semi_sync_master_timeout", "rpl_semi_sync_slave_enabled"],
            variables.Rows.Select(row => row["Variable_name"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Replication_with_slave_pos_gtids_copies_a_row_from_primary_to_replica()
    {
        var schema = MariaDbFixture.NewSchema("repl");
        using var primary = await MariaDbFixture.OpenAsync(fixture.Primary);
        using var replica = await MariaDbFixture.OpenAsync(fixture.Replica);
        try
        {
            // Start the replica at the primary's current position, as a reparent does; the replica's own earlier
            // writes (from other tests) are forgotten so strict mode sees no conflicting history.
            var primaryPosition = (await primary.QueryAsync("SELECT @@gtid_binlog_pos AS pos", Deadline.In())).Rows[0]["pos"] ?? "";
            await replica.ExecuteAsync("STOP SLAVE", Deadline.In());
            await replica.ExecuteAsync("RESET SLAVE ALL", Deadline.In());
            await replica.ExecuteAsync("RESET MASTER", Deadline.In());
            var quote = await replica.StringQuoterAsync(Deadline.In());
            await replica.ExecuteAsync($"SET GLOBAL gtid_slave_pos = {quote(primaryPosition)}", Deadline.In());
            await replica.ExecuteAsync(
                $"CHANGE MASTER TO MASTER_HOST = {quote(fixture.Primary.Host)}, MASTER_PORT = {fixture.Primary.Port}, "
                + $"MASTER_USER = {quote(fixture.Primary.User)}, MASTER_PASSWORD = {quote(fixture.Primary.Password)}, "
                + "MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
                Deadline.In());
            await replica.ExecuteAsync("START SLAVE", Deadline.In());

            await primary.ExecuteAsync($"CREATE DATABASE {schema}", Deadline.In());
            await primary.ExecuteAsync($"CREATE TABLE {schema}.t (id INT PRIMARY KEY, v VARCHAR(40))", Deadline.In());
            await primary.ExecuteAsync($"INSERT INTO {schema}.t VALUES (1, 'replicated')", Deadline.In());

            await Poll.UntilAsync(async () =>
            {
                try
                {
                    var rows = await replica.QueryAsync($"SELECT v FROM {schema}.t WHERE id = 1", Deadline.In());
                    return rows.Rows.Count == 1 && rows.Rows[0]["v"] == "replicated";
                }
                catch (MySqlCallException e) when (e.ErrorCode is MySqlErrorCode.UnknownDatabase or MySqlErrorCode.NoSuchTable)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), $"the row reaches the replica (last status: {await StatusSummaryAsync(replica)})");

            var status = Assert.Single((await replica.QueryAsync("SHOW SLAVE STATUS", Deadline.In())).Rows);
            Assert.Equal("Yes", status["Slave_IO_Running"]);
            Assert.Equal("Yes", status["Slave_SQL_Running"]);
            Assert.Equal("Slave_Pos", status["Using_Gtid"]);
            Assert.Equal(fixture.Primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), status["Master_Port"]);
            Assert.Equal(fixture.Primary.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture), status["Master_Server_Id"]);
        }
        finally
        {
            await replica.ExecuteAsync("STOP SLAVE", Deadline.In());
            await replica.ExecuteAsync("RESET SLAVE ALL", Deadline.In());
            await primary.ExecuteAsync($"DROP DATABASE IF EXISTS {schema}", Deadline.In());
        }
    }

    [Fact]
    public async Task A_sigkilled_server_makes_the_next_query_fail_with_a_connection_error_and_it_can_start_again()
    {
        var server = fixture.Replica;
        var connection = await MariaDbFixture.OpenAsync(server);
        try
        {
            Assert.Equal("1", (await connection.QueryAsync("SELECT 1", Deadline.In())).Rows[0][0]);

            server.Kill();

            var error = await Assert.ThrowsAsync<MySqlCallException>(() => connection.QueryAsync("SELECT 1", Deadline.In(60)));
            Assert.True(error.IsConnectionError, error.Message);
            Assert.True(connection.State != System.Data.ConnectionState.Open);
            Assert.False(server.IsRunning);
        }
        finally
        {
            connection.Dispose();
            if (!server.IsRunning)
            {
                await server.StartAgainAsync(Deadline.In(60));
            }
        }

        using var again = await MariaDbFixture.OpenAsync(server);
        Assert.Equal("1", (await again.QueryAsync("SELECT 1", Deadline.In())).Rows[0][0]);
    }

    [Fact]
    public async Task StartAgain_after_Stop_keeps_the_data_and_the_port()
    {
        var server = fixture.Replica;
        var schema = MariaDbFixture.NewSchema("restart");
        var port = server.Port;
        using (var before = await MariaDbFixture.OpenAsync(server))
        {
            await before.ExecuteAsync($"CREATE DATABASE {schema}", Deadline.In());
            await before.ExecuteAsync($"CREATE TABLE {schema}.t (id INT PRIMARY KEY, v VARCHAR(20))", Deadline.In());
            await before.ExecuteAsync($"INSERT INTO {schema}.t VALUES (7, 'kept')", Deadline.In());
        }

        await server.StopAsync(cancellationToken: Deadline.In(60));
        Assert.False(server.IsRunning);
        await server.StartAgainAsync(Deadline.In(60));

        using var after = await MariaDbFixture.OpenAsync(server);
        try
        {
            var rows = await after.QueryAsync($"SELECT v FROM {schema}.t WHERE id = 7", Deadline.In());
            Assert.Equal(port, server.Port);
            Assert.Equal("kept", Assert.Single(rows.Rows)["v"]);
        }
        finally
        {
            await after.ExecuteAsync($"DROP DATABASE IF EXISTS {schema}", Deadline.In());
        }
    }

    [Fact]
    public async Task A_server_installed_without_the_template_works_the_same()
    {
        await using var server = await MariaDbProcess.StartAsync(new MariaDbProcessOptions { UseTemplate = false }, Deadline.In(120));
        using var connection = await MariaDbFixture.OpenAsync(server);

        var row = (await connection.QueryAsync("SELECT CURRENT_USER() AS u, @@server_id AS id, @@gtid_binlog_pos AS pos", Deadline.In())).Rows[0];

        Assert.Equal($"{server.User}@%", row["u"]);
        Assert.Equal(server.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture), row["id"]);
        // The accounts were created during the install, so nothing is in the binary log yet.
        Assert.Equal("", row["pos"]);
    }

    [Fact]
    public async Task Disposing_a_server_kills_it_and_deletes_its_directory()
    {
        var server = await MariaDbProcess.StartAsync(cancellationToken: Deadline.In(120));
        var pid = server.Pid;
        Assert.NotNull(pid);

        await server.DisposeAsync();

        Assert.False(server.IsRunning);
        Assert.False(Directory.Exists(server.RootDirectory));
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid.Value));
    }

    [Fact]
    public async Task A_parent_directory_too_long_for_a_unix_socket_is_rejected_naming_the_path()
    {
        var parent = Path.Combine(Path.GetTempPath(), new string('p', 120));

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => MariaDbProcess.StartAsync(new MariaDbProcessOptions { ParentDirectory = parent }, Deadline.In()));

        Assert.Contains(parent, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(parent));
    }

    [Fact]
    public async Task An_account_name_that_would_need_sql_escaping_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => MariaDbProcess.StartAsync(new MariaDbProcessOptions { User = "vt'; DROP" }, Deadline.In()));

        Assert.Contains("\"vt'; DROP\"", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> StatusSummaryAsync(MySqlConnection replica)
    {
        try
        {
            var row = (await replica.QueryAsync("SHOW SLAVE STATUS", Deadline.In())).SingleRowOrDefault();
            return row is null
                ? "not a replica"
                : $"IO={row["Slave_IO_Running"]} SQL={row["Slave_SQL_Running"]} IOError={row["Last_IO_Error"]} SQLError={row["Last_SQL_Error"]}";
        }
        catch (MySqlCallException e)
        {
            return e.Message;
        }
    }
}
