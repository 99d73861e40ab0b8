using MySqlConnector;
using System.Globalization;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.MySql;
using Vtorc.Agent.Tests.MySql;
using Vtorc.LocalCluster;
using Vtorc.Replication;

namespace Vtorc.Agent.Tests.Flavors;

[CollectionDefinition(Name)]
public sealed class FlavorMariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "flavor-mariadb";
}

/// <summary>
/// The MariaDB flavor's statements run against two real MariaDB servers, and its parsers read what they answer.
/// Each test leaves both servers writable, without semi-sync and not replicating.
/// </summary>
[Collection(FlavorMariaDbCollection.Name)]
[NeedsExternalProcess]
public sealed class MariaDbFlavorIntegrationTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task Replica_follows_the_primary_and_its_status_parses()
    {
        using var primary = await MariaDbFixture.OpenAsync(fixture.Primary);
        using var replica = await MariaDbFixture.OpenAsync(fixture.Replica);
        var flavor = await FlavorOfAsync(replica);
        var schema = MariaDbFixture.NewSchema("flv");
        try
        {
            await RunAsync(replica, flavor.StopReplication());
            await RunAsync(replica, flavor.SetReplicationSource(
                new ReplicationSourceSettings(fixture.Primary.Host, fixture.Primary.Port, fixture.Primary.User, fixture.Primary.Password)
                {
                    HeartbeatIntervalSeconds = 2.5,
                    ConnectRetrySeconds = 1,
                }));
            await RunAsync(replica, flavor.StartReplication());

            await primary.ExecuteAsync($"CREATE DATABASE {schema}", Deadline.In());
            await primary.ExecuteAsync($"CREATE TABLE {schema}.t (id INT PRIMARY KEY) ENGINE=InnoDB", Deadline.In());
            await primary.ExecuteAsync($"INSERT INTO {schema}.t VALUES (1)", Deadline.In());
            var timeCreatedNs = DateTime.UtcNow.Ticks * 100;
            await RunAsync(primary, ReparentJournal.CreateStatements());
            await primary.ExecuteAsync(ReparentJournal.Insert(timeCreatedNs, "PlannedReparentShard", "zone1-0000000101", "MariaDB/0-1-1",
                await primary.StringQuoterAsync(Deadline.In())), Deadline.In());
            var primaryPosition = flavor.ParseCurrentPosition(await ScalarAsync(primary, flavor.CurrentPositionQuery));

            var wait = flavor.WaitForPosition(primaryPosition, TimeSpan.FromSeconds(20));
            Assert.Equal(PositionWaitOutcome.Reached, wait.Interpret(await ScalarAsync(replica, wait.Sql, seconds: 30)));

            var status = flavor.ParseReplicationStatus(await RowsAsync(replica, flavor.ReplicationStatusQuery));
            Assert.NotNull(status);
            Assert.Equal(ReplicationThreadState.Running, status.IoState);
            Assert.Equal(ReplicationThreadState.Running, status.SqlState);
            Assert.Equal(fixture.Primary.Host, status.SourceHost);
            Assert.Equal(fixture.Primary.Port, status.SourcePort);
            Assert.Equal(fixture.Primary.User, status.SourceUser);
            Assert.Equal((uint)fixture.Primary.ServerId, status.SourceServerId);
            Assert.Equal(1, status.ConnectRetry);
            Assert.True(status.UsingGtid);
            Assert.False(status.ReplicationLagUnknown);
            Assert.True(ReplicationPosition.Parse(status.Position).Contains(primaryPosition),
                $"replica position {status.Position} should contain the primary's {primaryPosition}");
            Assert.Equal("", status.RelayLogPosition);
            Assert.StartsWith("FilePos/", status.FilePosition, StringComparison.Ordinal);
            Assert.StartsWith("FilePos/", status.RelayLogSourceBinlogEquivalentPosition, StringComparison.Ordinal);
            Assert.StartsWith("FilePos/", status.RelayLogFilePosition, StringComparison.Ordinal);

            // ERS on MariaDB waits for the relay log by the source coordinates received (relay_log_position is empty).
            var fileWait = flavor.WaitForPosition(ReplicationPosition.Parse(status.RelayLogSourceBinlogEquivalentPosition), TimeSpan.FromSeconds(20));
            Assert.Equal(PositionWaitKind.FilePosition, fileWait.Kind);
            Assert.Equal(PositionWaitOutcome.Reached, fileWait.Interpret(await ScalarAsync(replica, fileWait.Sql, seconds: 30)));

            var journalRow = Assert.Single(await RowsAsync(replica, ReparentJournal.RowExistsQuery(timeCreatedNs)));
            Assert.Equal("zone1-0000000101", journalRow.Get("primary_alias"));
            Assert.True(ReparentJournal.ParseCount(await ScalarAsync(replica, ReparentJournal.CountQuery)) >= 1);

            var full = await FullStatusAsync(replica, flavor);
            Assert.Equal((uint)fixture.Replica.ServerId, full.ServerId);
            Assert.Equal(flavor.Server.Version, full.Version);
            Assert.Equal(2.5, full.ReplicationConfiguration.HeartbeatInterval);
            Assert.Equal(60, full.ReplicationConfiguration.ReplicaNetTimeout);
            Assert.True(full.LogBinEnabled);
            Assert.True(full.LogReplicaUpdates);
            Assert.Equal("ROW", full.BinlogFormat);
            Assert.Equal(fixture.Primary.Port, full.ReplicationStatus.SourcePort);
            Assert.NotNull(full.PrimaryStatus);
        }
        finally
        {
            await RunAsync(replica, flavor.ResetReplication());
            await primary.ExecuteAsync($"DROP DATABASE IF EXISTS {schema}", Deadline.In());
        }

        Assert.Null(flavor.ParseReplicationStatus(await RowsAsync(replica, flavor.ReplicationStatusQuery)));
    }

    [Fact]
    public async Task Waiting_for_a_position_the_server_does_not_have_times_out()
    {
        using var replica = await MariaDbFixture.OpenAsync(fixture.Replica);
        var flavor = await FlavorOfAsync(replica);
        var beyond = ReplicationPosition.Parse($"MariaDB/0-{fixture.Primary.ServerId}-999999999");

        var wait = flavor.WaitForPosition(beyond, TimeSpan.FromMilliseconds(300));

        Assert.Equal(PositionWaitOutcome.TimedOut, wait.Interpret(await ScalarAsync(replica, wait.Sql)));
    }

    [Fact]
    public async Task Reset_replication_works_on_a_server_whose_binlog_has_its_own_transactions()
    {
        using var primary = await MariaDbFixture.OpenAsync(fixture.Primary);
        var flavor = await FlavorOfAsync(primary);
        await primary.ExecuteAsync("CREATE DATABASE IF NOT EXISTS flv_own_transactions", Deadline.In());
        var before = flavor.ParseCurrentPosition(await ScalarAsync(primary, flavor.CurrentPositionQuery));

        await RunAsync(primary, flavor.ResetReplication());
        await RunAsync(primary, flavor.ResetReplicationParameters());

        Assert.Equal(before, flavor.ParseCurrentPosition(await ScalarAsync(primary, flavor.CurrentPositionQuery)));
        Assert.Null(flavor.ParseReplicationStatus(await RowsAsync(primary, flavor.ReplicationStatusQuery)));
    }

    [Fact]
    public async Task Waiting_for_its_own_transactions_on_a_primary_does_not_see_them()
    {
        // Documents why callers compare the current position before waiting (see IReplicationFlavor.WaitForPosition).
        using var primary = await MariaDbFixture.OpenAsync(fixture.Primary);
        var flavor = await FlavorOfAsync(primary);
        await primary.ExecuteAsync("CREATE DATABASE IF NOT EXISTS flv_own_wait", Deadline.In());
        var own = flavor.ParseCurrentPosition(await ScalarAsync(primary, flavor.CurrentPositionQuery));
        Assert.Contains(own.MariaDb!.Gtids, gtid => gtid.Server == (uint)fixture.Primary.ServerId);

        var wait = flavor.WaitForPosition(own, TimeSpan.FromMilliseconds(300));

        Assert.Equal(PositionWaitOutcome.TimedOut, wait.Interpret(await ScalarAsync(primary, wait.Sql)));
    }

    [Fact]
    public async Task Waiting_for_a_file_position_without_replication_fails()
    {
        using var replica = await MariaDbFixture.OpenAsync(fixture.Replica);
        var flavor = await FlavorOfAsync(replica);

        var wait = flavor.WaitForPosition(ReplicationPosition.Parse("FilePos/mysql-bin.000001:4"), TimeSpan.FromSeconds(1));

        Assert.Equal(PositionWaitOutcome.Failed, wait.Interpret(await ScalarAsync(replica, wait.Sql)));
    }

    [Fact]
    public async Task Semi_sync_statements_take_effect()
    {
        using var connection = await MariaDbFixture.OpenAsync(fixture.Primary);
        var flavor = await FlavorOfAsync(connection);
        Assert.Null(flavor.SemiSyncPluginQuery);
        try
        {
            await RunAsync(connection, flavor.SetSemiSync(primary: true, replica: false));
            var primaryOnly = await SemiSyncAsync(connection, flavor);
            Assert.True(primaryOnly.PrimaryEnabled);
            Assert.False(primaryOnly.ReplicaEnabled);
            Assert.Equal(1u, primaryOnly.WaitForReplicaCount);
            Assert.True(primaryOnly.PrimaryTimeoutMilliseconds > 0);

            await RunAsync(connection, flavor.SetSemiSync(primary: false, replica: true));
            var replicaOnly = await SemiSyncAsync(connection, flavor);
            Assert.False(replicaOnly.PrimaryEnabled);
            Assert.True(replicaOnly.ReplicaEnabled);

            var full = await FullStatusAsync(connection, flavor);
            Assert.False(full.SemiSyncPrimaryEnabled);
            Assert.True(full.SemiSyncReplicaEnabled);
        }
        finally
        {
            await RunAsync(connection, flavor.SetSemiSync(primary: false, replica: false));
        }

        var off = await SemiSyncAsync(connection, flavor);
        Assert.False(off.PrimaryEnabled);
        Assert.False(off.ReplicaEnabled);
    }

    [Fact]
    public async Task Read_only_statements_take_effect()
    {
        using var connection = await MariaDbFixture.OpenAsync(fixture.Replica);
        var flavor = await FlavorOfAsync(connection);
        try
        {
            await RunAsync(connection, flavor.SetReadOnly(readOnly: true, superReadOnly: true));
            Assert.Equal("1", Assert.Single(await RowsAsync(connection, flavor.ReadOnlyQuery)).Get("read_only"));
            Assert.True((await FullStatusAsync(connection, flavor)).ReadOnly);
        }
        finally
        {
            await RunAsync(connection, flavor.SetReadOnly(readOnly: false, superReadOnly: false));
        }

        Assert.Equal("0", Assert.Single(await RowsAsync(connection, flavor.ReadOnlyQuery)).Get("read_only"));
        Assert.False((await FullStatusAsync(connection, flavor)).ReadOnly);
    }

    [Fact]
    public async Task Reparent_journal_rows_round_trip_with_hostile_text()
    {
        using var connection = await MariaDbFixture.OpenAsync(fixture.Primary);
        await RunAsync(connection, ReparentJournal.CreateStatements());
        await RunAsync(connection, ReparentJournal.CreateStatements());
        var before = ReparentJournal.ParseCount(await ScalarAsync(connection, ReparentJournal.CountQuery));
        var timeCreatedNs = DateTime.UtcNow.Ticks * 100 + 1;
        const string action = "Emergency'Reparent\\Shard\"; --";

        await connection.ExecuteAsync(ReparentJournal.Insert(timeCreatedNs, action, "zone1-0000000102", "MariaDB/0-102-7"), Deadline.In());

        Assert.Equal(before + 1, ReparentJournal.ParseCount(await ScalarAsync(connection, ReparentJournal.CountQuery)));
        var row = Assert.Single(await RowsAsync(connection, ReparentJournal.RowExistsQuery(timeCreatedNs)));
        Assert.Equal(action, row.Get("action_name"));
        Assert.Equal("zone1-0000000102", row.Get("primary_alias"));
        Assert.Equal("MariaDB/0-102-7", row.Get("replication_position"));
        Assert.Empty(await RowsAsync(connection, ReparentJournal.RowExistsQuery(timeCreatedNs + 1)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hostile_source_values_reach_the_server_unchanged(bool connectionQuoter)
    {
        using var replica = await MariaDbFixture.OpenAsync(fixture.Replica);
        var detected = await MySqlFlavor.DetectAsync(replica, Deadline.In());
        var flavor = connectionQuoter ? ReplicationFlavors.For(detected, await replica.StringQuoterAsync(Deadline.In())) : ReplicationFlavors.For(detected);
        const string user = "r'x\"y\\z";
        try
        {
            await RunAsync(replica, flavor.StopReplication());
            await RunAsync(replica, flavor.SetReplicationSource(new ReplicationSourceSettings("127.0.0.1", 1, user, "p'\\\"w")));

            var status = flavor.ParseReplicationStatus(await RowsAsync(replica, flavor.ReplicationStatusQuery));

            Assert.NotNull(status);
            Assert.Equal(user, status.SourceUser);
            Assert.Equal(1, status.SourcePort);
            Assert.Equal(ReplicationThreadState.Stopped, status.IoState);
        }
        finally
        {
            await RunAsync(replica, flavor.ResetReplicationParameters());
        }
    }

    [Fact]
    public async Task Primary_status_and_full_status_of_a_server_that_replicates_from_nobody()
    {
        using var primary = await MariaDbFixture.OpenAsync(fixture.Primary);
        var flavor = await FlavorOfAsync(primary);
        await primary.ExecuteAsync("CREATE DATABASE IF NOT EXISTS flv_primary_status", Deadline.In());
        var position = flavor.ParseCurrentPosition(await ScalarAsync(primary, flavor.CurrentPositionQuery));

        var full = await FullStatusAsync(primary, flavor);

        Assert.Null(full.ReplicationStatus);
        Assert.NotNull(full.PrimaryStatus);
        Assert.Equal(position.ToString(), full.PrimaryStatus.Position);
        Assert.True(position.HasTransactions);
        Assert.StartsWith("FilePos/", full.PrimaryStatus.FilePosition, StringComparison.Ordinal);
        Assert.Equal((uint)fixture.Primary.ServerId, full.ServerId);
        Assert.Contains("MariaDB", full.VersionComment + flavor.Server.RawVersion, StringComparison.Ordinal);
        Assert.Equal(flavor.Server.Version, full.Version);
        Assert.Equal("", full.ServerUuid);
        // The server starts read-only; other tests of the collection switch it, so compare with its value now.
        Assert.Equal(await ScalarAsync(primary, "SELECT @@GLOBAL.read_only") == "1", full.ReadOnly);
        Assert.Equal(60, full.ReplicationConfiguration.ReplicaNetTimeout);
        // Our extension (field 10001): the per-writer state, here including this server's own last write.
        var binlogState = Vtorc.Replication.MariaDbBinlogState.Parse(full.GtidBinlogState);
        Assert.NotEmpty(position.MariaDb!.Gtids);
        foreach (var last in position.MariaDb.Gtids)
        {
            Assert.Equal(last.Sequence, binlogState.SequenceOf(last.Domain, last.Server));
        }
    }

    [Fact]
    public async Task Global_status_query_answers_the_requested_names()
    {
        using var connection = await MariaDbFixture.OpenAsync(fixture.Primary);

        var values = ServerVariables.ToDictionary(
            await RowsAsync(connection, ServerVariables.GlobalStatusQuery(["Innodb_buffer_pool_pages_data", "Uptime"])));

        Assert.Equal(["Innodb_buffer_pool_pages_data", "Uptime"], values.Keys.Order(StringComparer.Ordinal));
        Assert.True(long.Parse(values["Uptime"], CultureInfo.InvariantCulture) >= 0);
    }

    [Fact]
    public async Task Setting_the_replication_position_makes_the_server_start_from_it()
    {
        using var replica = await MariaDbFixture.OpenAsync(fixture.Replica);
        var flavor = ReplicationFlavors.For(await MySqlFlavor.DetectAsync(replica, Deadline.In()), await replica.StringQuoterAsync(Deadline.In()));
        var original = flavor.ParseCurrentPosition(await ScalarAsync(replica, flavor.CurrentPositionQuery));
        var target = ReplicationPosition.Parse($"MariaDB/0-{fixture.Primary.ServerId}-424242");
        try
        {
            await RunAsync(replica, flavor.StopReplication());
            await RunAsync(replica, flavor.SetReplicationPosition(target));

            Assert.Equal(target, flavor.ParseCurrentPosition(await ScalarAsync(replica, flavor.CurrentPositionQuery)));
            Assert.Equal(target, flavor.ParseCurrentPosition(await ScalarAsync(replica, "SELECT @@GLOBAL.gtid_slave_pos")));
        }
        finally
        {
            // Put the GTID state back so the other tests can replicate from the primary again.
            await RunAsync(replica, flavor.SetReplicationPosition(original));
        }
    }

    private static async Task<IReplicationFlavor> FlavorOfAsync(MySqlConnection connection) =>
        ReplicationFlavors.For(await MySqlFlavor.DetectAsync(connection, Deadline.In()));

    private static async Task RunAsync(MySqlConnection connection, IEnumerable<string> statements)
    {
        foreach (var statement in statements)
        {
            await connection.ExecuteAsync(statement, Deadline.In());
        }
    }

    private static async Task<IReadOnlyList<RowValues>> RowsAsync(MySqlConnection connection, string query) =>
        RowValues.FromResult(await connection.QueryAsync(query, Deadline.In()));

    private static async Task<string?> ScalarAsync(MySqlConnection connection, string query, int seconds = 30)
    {
        var result = await connection.QueryAsync(query, Deadline.In(seconds));
        return Assert.Single(result.Rows)[0];
    }

    private static async Task<SemiSyncState> SemiSyncAsync(MySqlConnection connection, IReplicationFlavor flavor) =>
        flavor.ParseSemiSync(
            ServerVariables.ToDictionary(await RowsAsync(connection, flavor.FullStatusVariablesQuery)),
            ServerVariables.ToDictionary(await RowsAsync(connection, flavor.FullStatusStatusQuery)));

    private static async Task<Replicationdata.FullStatus> FullStatusAsync(MySqlConnection connection, IReplicationFlavor flavor)
    {
        var variables = ServerVariables.ToDictionary(await RowsAsync(connection, flavor.FullStatusVariablesQuery));
        var status = ServerVariables.ToDictionary(await RowsAsync(connection, flavor.FullStatusStatusQuery));
        var replication = flavor.ParseReplicationStatus(await RowsAsync(connection, flavor.ReplicationStatusQuery));
        var primaryRow = (await RowsAsync(connection, flavor.PrimaryStatusQuery)).SingleOrDefault();
        var primary = flavor.ParsePrimaryStatus(primaryRow, await ScalarAsync(connection, flavor.CurrentPositionQuery), "");
        return flavor.BuildFullStatus(new FullStatusInputs(variables, status, replication, primary));
    }
}
