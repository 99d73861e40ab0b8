using System.Text.Json;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Json;

public class InstanceJsonTests
{
    // Instance of go/vt/vtorc/inst/instance.go, in Go's declaration order.
    private static readonly string[] Fields =
    [
        "Hostname", "Port", "InstanceAlias", "TabletType", "Cell", "ServerID", "ServerUUID", "Version", "VersionComment",
        "FlavorName", "ReadOnly", "BinlogFormat", "BinlogRowImage", "LogBinEnabled", "LogReplicationUpdatesEnabled",
        "SelfBinlogCoordinates", "SourceHost", "SourcePort", "SourceUUID", "AncestryUUID", "ReplicaNetTimeout", "HeartbeatInterval",
        "ReplicationSQLThreadRuning", "ReplicationIOThreadRuning", "ReplicationSQLThreadState", "ReplicationIOThreadState",
        "HasReplicationFilters", "GTIDMode", "SupportsOracleGTID", "UsingOracleGTID", "ReadBinlogCoordinates",
        "ExecBinlogCoordinates", "IsDetached", "RelaylogCoordinates", "LastSQLError", "LastIOError", "SecondsBehindPrimary",
        "SQLDelay", "ExecutedGtidSet", "GtidPurged", "GtidErrant", "ReplicationLagSeconds", "ReplicationDepth", "IsCoPrimary",
        "HasReplicationCredentials", "SemiSyncEnforced", "SemiSyncPrimaryEnabled", "SemiSyncReplicaEnabled",
        "SemiSyncPrimaryTimeout", "SemiSyncPrimaryWaitForReplicaCount", "SemiSyncPrimaryStatus", "SemiSyncPrimaryClients",
        "SemiSyncReplicaStatus", "SemiSyncBlocked", "LastSeenTimestamp", "IsLastCheckValid", "IsUpToDate", "IsRecentlyChecked",
        "SecondsSinceLastSeen", "StalledDisk", "AllowTLS", "Problems", "LastDiscoveryLatency",
    ];

    private static JsonElement Render(ShardSnapshot snapshot, string alias, DateTimeOffset now)
    {
        var tablet = snapshot.Tablets.Single(t => t.Alias == alias);
        snapshot.Observations.TryGetValue(alias, out var observation);
        var json = InstanceJson.Write([new InstanceEntry(tablet, observation)], AnalysisSettings.Default, now);
        using var document = JsonDocument.Parse(json);
        return document.RootElement[0].Clone();
    }

    [Fact]
    public void Every_field_is_written_in_Gos_order()
    {
        var s = new ShardScenario();
        s.Primary();
        var r = s.Replica(101);
        var json = Render(s.Build(), r, ShardScenario.Now);
        Assert.Equal(Fields, json.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void No_instances_is_the_literal_null() =>
        Assert.Equal("null", InstanceJson.Write([], AnalysisSettings.Default, ShardScenario.Now));

    [Fact]
    public void A_healthy_replica_maps_its_observation()
    {
        var s = new ShardScenario();
        s.Primary();
        var r = s.Replica(101);
        s.Observe(r, o => o with
        {
            ReplicationLagSeconds = 3,
            ExecSourcePosition = "FilePos/binlog.000007:1234",
            RelayLogPosition = "FilePos/relay.000002:99",
            VersionComment = "Percona Server (GPL)",
        });
        var json = Render(s.Build(), r, ShardScenario.Now.AddSeconds(2));

        Assert.Equal("mysql-101", json.GetProperty("Hostname").GetString());
        Assert.Equal(3306, json.GetProperty("Port").GetInt32());
        Assert.Equal(r, json.GetProperty("InstanceAlias").GetString());
        Assert.Equal((int)TabletType.Replica, json.GetProperty("TabletType").GetInt32());
        Assert.Equal("Percona", json.GetProperty("FlavorName").GetString());
        Assert.Equal("mysql-100", json.GetProperty("SourceHost").GetString());
        Assert.True(json.GetProperty("ReplicationSQLThreadRuning").GetBoolean());
        Assert.Equal((int)ReplicationThreadState.Running, json.GetProperty("ReplicationIOThreadState").GetInt32());
        Assert.True(json.GetProperty("SupportsOracleGTID").GetBoolean());
        Assert.True(json.GetProperty("UsingOracleGTID").GetBoolean());
        Assert.Equal("binlog.000007", json.GetProperty("ExecBinlogCoordinates").GetProperty("LogFile").GetString());
        Assert.Equal(1234, json.GetProperty("ExecBinlogCoordinates").GetProperty("LogPos").GetInt64());
        Assert.Equal(1, json.GetProperty("RelaylogCoordinates").GetProperty("Type").GetInt32());
        Assert.Equal(3, json.GetProperty("ReplicationLagSeconds").GetProperty("Int64").GetInt64());
        Assert.True(json.GetProperty("SecondsBehindPrimary").GetProperty("Valid").GetBoolean());
        Assert.Equal("2026-11-22 06:00:00", json.GetProperty("LastSeenTimestamp").GetString());
        Assert.True(json.GetProperty("IsLastCheckValid").GetBoolean());
        Assert.True(json.GetProperty("IsUpToDate").GetBoolean());
        Assert.Equal(2, json.GetProperty("SecondsSinceLastSeen").GetProperty("Int64").GetInt64());
        Assert.True(json.GetProperty("SecondsSinceLastSeen").GetProperty("Valid").GetBoolean());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("Problems").ValueKind);
        Assert.Equal(0, json.GetProperty("Problems").GetArrayLength());
    }

    [Fact]
    public void An_unreachable_replica_has_an_invalid_last_check()
    {
        var s = new ShardScenario();
        s.Primary();
        var r = s.Replica(101);
        s.Unreachable(r);
        var json = Render(s.Build(), r, ShardScenario.Now.AddSeconds(10));
        Assert.False(json.GetProperty("IsLastCheckValid").GetBoolean());
        Assert.Equal(10, json.GetProperty("SecondsSinceLastSeen").GetProperty("Int64").GetInt64());
        Assert.Equal(new[] { InstanceProblems.LastCheckInvalid }, json.GetProperty("Problems").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public void Errant_GTIDs_are_reported_with_their_problem()
    {
        var s = new ShardScenario();
        s.Primary();
        var r = s.Replica(101);
        var errant = ShardScenario.UuidOf(101) + ":1-3";
        s.Observe(r, o => o with { GtidErrant = errant, GtidErrantCount = 3 });
        var json = Render(s.Build(), r, ShardScenario.Now);
        Assert.Equal(errant, json.GetProperty("GtidErrant").GetString());
        Assert.Equal(new[] { InstanceProblems.ErrantGtid }, json.GetProperty("Problems").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public void A_tablet_never_polled_comes_from_its_record()
    {
        var s = new ShardScenario();
        s.Primary();
        var r = s.Replica(101);
        s.NeverPolled(r);
        var json = Render(s.Build(), r, ShardScenario.Now);
        Assert.Equal("mysql-101", json.GetProperty("Hostname").GetString());
        Assert.Equal("zone1", json.GetProperty("Cell").GetString());
        Assert.Equal((int)TabletType.Replica, json.GetProperty("TabletType").GetInt32());
        Assert.Equal("", json.GetProperty("LastSeenTimestamp").GetString());
        Assert.False(json.GetProperty("IsLastCheckValid").GetBoolean());
        Assert.False(json.GetProperty("IsUpToDate").GetBoolean());
        Assert.False(json.GetProperty("SecondsSinceLastSeen").GetProperty("Valid").GetBoolean());
        Assert.Equal(new[] { InstanceProblems.LastCheckInvalid }, json.GetProperty("Problems").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public void Strings_are_html_escaped()
    {
        var s = new ShardScenario();
        s.Primary();
        var r = s.Replica(101);
        s.Observe(r, o => o with { LastSqlError = "Error 'x' <on> query & more" });
        var tablet = s.Build().Tablets.Single(t => t.Alias == r);
        var text = InstanceJson.Write([new InstanceEntry(tablet, s.Build().Observations[r])], AnalysisSettings.Default, ShardScenario.Now);
        Assert.Contains("\"LastSQLError\": \"Error 'x' \\u003con\\u003e query \\u0026 more\"", text);
        Assert.StartsWith("[\n {\n  \"Hostname\": \"mysql-101\",\n", text);
    }
}
