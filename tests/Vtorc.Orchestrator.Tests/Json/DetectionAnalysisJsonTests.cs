using System.Text.Json;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Tests.Analysis;
using Vtorc.Orchestrator.Tests.Snapshot;

namespace Vtorc.Orchestrator.Tests.Json;

public class DetectionAnalysisJsonTests
{
    // DetectionAnalysis of go/vt/vtorc/inst/analysis.go, in Go's declaration order.
    private static readonly string[] Fields =
    [
        "AnalyzedInstanceAlias", "AnalyzedInstancePrimaryAlias", "TabletType", "CurrentTabletType", "PrimaryTimeStamp",
        "AnalyzedKeyspace", "AnalyzedShard", "AnalyzedKeyspaceEmergencyReparentDisabled", "AnalyzedShardEmergencyReparentDisabled",
        "ShardPrimaryTermTimestamp", "AnalyzedInstanceBinlogCoordinates", "IsPrimary", "IsClusterPrimary", "LastCheckValid",
        "LastCheckPartialSuccess", "CountReplicas", "CountValidReplicas", "CountValidReplicatingReplicas",
        "CountValidSemiSyncReplicatingReplicas", "ReplicationStopped", "ErrantGTID", "ReplicaNetTimeout", "HeartbeatInterval",
        "Analysis", "AnalysisMatchedProblems", "Description", "StructureAnalysis", "OracleGTIDImmediateTopology",
        "BinlogServerImmediateTopology", "SemiSyncPrimaryEnabled", "SemiSyncPrimaryStatus", "SemiSyncPrimaryWaitForReplicaCount",
        "SemiSyncPrimaryClients", "SemiSyncReplicaEnabled", "SemiSyncBlocked", "CountSemiSyncReplicasEnabled", "CountLoggingReplicas",
        "CountStatementBasedLoggingReplicas", "CountMixedBasedLoggingReplicas", "CountRowBasedLoggingReplicas",
        "CountDistinctMajorVersionsLoggingReplicas", "CountDelayedReplicas", "CountLaggingReplicas", "IsActionableRecovery",
        "RecoveryId", "GTIDMode", "MinReplicaGTIDMode", "MaxReplicaGTIDMode", "MaxReplicaGTIDErrant", "IsReadOnly", "IsDiskStalled",
    ];

    private static DetectionAnalysis DeadPrimaryRow()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        s.Unreachable(p).StopReplication(r1).StopReplication(r2);
        return s.AnalysisOf(p)!;
    }

    [Fact]
    public void No_rows_is_the_literal_null()
    {
        Assert.Equal("null", DetectionAnalysisJson.Write([]));
        Assert.Equal("null", DetectionAnalysisJson.Write(null));
    }

    [Fact]
    public void Every_field_is_written_in_Gos_order()
    {
        using var document = JsonDocument.Parse(DetectionAnalysisJson.Write([DeadPrimaryRow()]));
        var row = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal(Fields, row.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void Layout_is_MarshalIndent_with_one_space_and_no_trailing_newline()
    {
        var json = DetectionAnalysisJson.Write([DeadPrimaryRow()]);
        Assert.StartsWith("[\n {\n  \"AnalyzedInstanceAlias\": \"zone1-0000000100\",\n  \"AnalyzedInstancePrimaryAlias\": \"\",\n", json);
        Assert.Contains("\n  \"AnalyzedInstanceBinlogCoordinates\": {\n   \"LogFile\": \"\",\n   \"LogPos\": 0,\n   \"Type\": 0\n  },\n", json);
        Assert.EndsWith("\n  \"IsDiskStalled\": false\n }\n]", json);
    }

    [Fact]
    public void Values_use_Gos_encodings()
    {
        var row = DeadPrimaryRow();
        using var document = JsonDocument.Parse(DetectionAnalysisJson.Write([row]));
        var json = document.RootElement[0];
        Assert.Equal(AnalysisCodes.DeadPrimary, json.GetProperty("Analysis").GetString());
        Assert.Equal((int)TabletType.Primary, json.GetProperty("TabletType").GetInt32());
        Assert.Equal(GoJsonText.Time(ShardScenario.TermTwo), json.GetProperty("PrimaryTimeStamp").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("StructureAnalysis").ValueKind);
        var matched = json.GetProperty("AnalysisMatchedProblems")[0];
        Assert.Equal(["Analysis", "Description", "HasShardWideAction", "Priority"], matched.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.Number, matched.GetProperty("Priority").ValueKind);
        Assert.True(matched.GetProperty("HasShardWideAction").GetBoolean());
        Assert.Equal(2, json.GetProperty("CountValidReplicas").GetInt32());
    }

    [Fact]
    public void A_zero_time_is_Gos_zero_time()
    {
        var row = DeadPrimaryRow() with { ShardPrimaryTermTimestamp = default };
        Assert.Contains("\"ShardPrimaryTermTimestamp\": \"0001-01-01T00:00:00Z\"", DetectionAnalysisJson.Write([row]));
    }

    [Fact]
    public void Structure_warnings_are_an_array_of_codes()
    {
        var row = DeadPrimaryRow() with { StructureAnalysis = [StructureWarningCodes.ErrantGtid] };
        using var document = JsonDocument.Parse(DetectionAnalysisJson.Write([row]));
        Assert.Equal(StructureWarningCodes.ErrantGtid, document.RootElement[0].GetProperty("StructureAnalysis")[0].GetString());
    }

    [Fact]
    public void Html_characters_are_escaped_as_Go_does()
    {
        var row = DeadPrimaryRow() with { Description = "a <b> & c" };
        var json = DetectionAnalysisJson.Write([row]);
        Assert.Contains("\"Description\": \"a \\u003cb\\u003e \\u0026 c\"", json);
        Assert.DoesNotContain("<b>", json);
    }

    [Fact]
    public void Select_filters_by_keyspace_and_shard()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.Replica(101);
        s.Unreachable(p);
        var first = ShardCopies.Renamed(s.Build(), "commerce", "-80");
        var second = ShardCopies.Renamed(s.Build(), "commerce", "80-");
        var third = ShardCopies.Renamed(s.Build(), "customer", "0");
        var results = DetectionAnalyzer.AnalyzeAll([first, second, third], AnalysisSettings.Default, ShardScenario.Now);

        Assert.Equal(3, DetectionAnalysisJson.Select(results, null, null).Count);
        Assert.Equal(["-80", "80-"], DetectionAnalysisJson.Select(results, "commerce", "").Select(a => a.AnalyzedShard).ToArray());
        Assert.Equal("80-", Assert.Single(DetectionAnalysisJson.Select(results, "commerce", "80-")).AnalyzedShard);
        Assert.Empty(DetectionAnalysisJson.Select(results, "nope", null));
    }
}
