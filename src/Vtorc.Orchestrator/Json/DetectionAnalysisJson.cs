using System.Text.Json;
using Vtorc.Orchestrator.Analysis;
using F = Vtorc.Orchestrator.Analysis.InstanceObservation.Fields;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// The <c>/api/detection-analysis</c> document (go/vt/vtorc/server/api.go): an array of VTOrc's
/// <c>DetectionAnalysis</c> objects with every field in Go's declaration order, Go names, tablet types and priorities
/// as numbers, times in RFC 3339 with nanoseconds, one-space indent and HTML escaping; <c>null</c> when there is no
/// row. Slices VTOrc builds by appending (<c>AnalysisMatchedProblems</c>, <c>StructureAnalysis</c>) are <c>null</c>
/// when empty. The fields copied from the analysed tablet's observation take their names and encodings from
/// <see cref="InstanceObservation.Fields"/>.
/// </summary>
public static class DetectionAnalysisJson
{
    /// <summary>The whole response body, without a trailing newline (VTOrc writes none).</summary>
    public static string Write(IReadOnlyList<DetectionAnalysis>? analyses)
    {
        if (analyses is null || analyses.Count == 0)
        {
            return "null";
        }
        return GoJsonWriter.Render(writer =>
        {
            writer.WriteStartArray();
            foreach (var analysis in analyses)
            {
                WriteObject(writer, analysis);
            }
            writer.WriteEndArray();
        });
    }

    /// <summary>
    /// The rows of <paramref name="results"/> for the API's filter: all shards, one keyspace, or one keyspace/shard
    /// (exact names; an empty or null filter matches everything). Skipped shards contribute nothing.
    /// </summary>
    public static IReadOnlyList<DetectionAnalysis> Select(IEnumerable<ShardAnalysisResult> results, string? keyspace, string? shard)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<DetectionAnalysis>();
        foreach (var result in results)
        {
            if (InstanceSelection.Matches(result.Keyspace, result.Shard, keyspace, shard))
            {
                rows.AddRange(result.Analyses);
            }
        }
        return rows;
    }

    public static void WriteObject(Utf8JsonWriter writer, DetectionAnalysis a)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(a);
        writer.WriteStartObject();
        writer.WriteGoString("AnalyzedInstanceAlias", a.AnalyzedInstanceAlias);
        writer.WriteGoString("AnalyzedInstancePrimaryAlias", a.AnalyzedInstancePrimaryAlias);
        writer.WriteNumber("TabletType", (int)a.TabletType);
        F.CurrentTabletType.WriteAnalysisJson(writer, a.CurrentTabletType);
        writer.WriteGoTime("PrimaryTimeStamp", a.PrimaryTimeStamp);
        writer.WriteGoString("AnalyzedKeyspace", a.AnalyzedKeyspace);
        writer.WriteGoString("AnalyzedShard", a.AnalyzedShard);
        writer.WriteBoolean("AnalyzedKeyspaceEmergencyReparentDisabled", a.AnalyzedKeyspaceEmergencyReparentDisabled);
        writer.WriteBoolean("AnalyzedShardEmergencyReparentDisabled", a.AnalyzedShardEmergencyReparentDisabled);
        writer.WriteGoTime("ShardPrimaryTermTimestamp", a.ShardPrimaryTermTimestamp);
        F.SelfBinlogCoordinates.WriteAnalysisJson(writer, a.AnalyzedInstanceBinlogCoordinates);
        writer.WriteBoolean("IsPrimary", a.IsPrimary);
        writer.WriteBoolean("IsClusterPrimary", a.IsClusterPrimary);
        writer.WriteBoolean("LastCheckValid", a.LastCheckValid);
        F.LastCheckPartialSuccess.WriteAnalysisJson(writer, a.LastCheckPartialSuccess);
        writer.WriteNumber("CountReplicas", a.CountReplicas);
        writer.WriteNumber("CountValidReplicas", a.CountValidReplicas);
        writer.WriteNumber("CountValidReplicatingReplicas", a.CountValidReplicatingReplicas);
        writer.WriteNumber("CountValidSemiSyncReplicatingReplicas", a.CountValidSemiSyncReplicatingReplicas);
        writer.WriteBoolean("ReplicationStopped", a.ReplicationStopped);
        F.GtidErrant.WriteAnalysisJson(writer, a.ErrantGTID);
        F.ReplicaNetTimeout.WriteAnalysisJson(writer, a.ReplicaNetTimeout);
        F.HeartbeatInterval.WriteAnalysisJson(writer, a.HeartbeatInterval);
        writer.WriteGoString("Analysis", a.Analysis);
        WriteMatchedProblems(writer, a.AnalysisMatchedProblems);
        writer.WriteGoString("Description", a.Description);
        writer.WriteGoStringsOrNull("StructureAnalysis", a.StructureAnalysis);
        writer.WriteBoolean("OracleGTIDImmediateTopology", a.OracleGTIDImmediateTopology);
        writer.WriteBoolean("BinlogServerImmediateTopology", a.BinlogServerImmediateTopology);
        F.SemiSyncPrimaryEnabled.WriteAnalysisJson(writer, a.SemiSyncPrimaryEnabled);
        F.SemiSyncPrimaryStatus.WriteAnalysisJson(writer, a.SemiSyncPrimaryStatus);
        F.SemiSyncPrimaryWaitForReplicaCount.WriteAnalysisJson(writer, a.SemiSyncPrimaryWaitForReplicaCount);
        F.SemiSyncPrimaryClients.WriteAnalysisJson(writer, a.SemiSyncPrimaryClients);
        F.SemiSyncReplicaEnabled.WriteAnalysisJson(writer, a.SemiSyncReplicaEnabled);
        F.SemiSyncBlocked.WriteAnalysisJson(writer, a.SemiSyncBlocked);
        writer.WriteNumber("CountSemiSyncReplicasEnabled", a.CountSemiSyncReplicasEnabled);
        writer.WriteNumber("CountLoggingReplicas", a.CountLoggingReplicas);
        writer.WriteNumber("CountStatementBasedLoggingReplicas", a.CountStatementBasedLoggingReplicas);
        writer.WriteNumber("CountMixedBasedLoggingReplicas", a.CountMixedBasedLoggingReplicas);
        writer.WriteNumber("CountRowBasedLoggingReplicas", a.CountRowBasedLoggingReplicas);
        writer.WriteNumber("CountDistinctMajorVersionsLoggingReplicas", a.CountDistinctMajorVersionsLoggingReplicas);
        writer.WriteNumber("CountDelayedReplicas", a.CountDelayedReplicas);
        writer.WriteNumber("CountLaggingReplicas", a.CountLaggingReplicas);
        writer.WriteBoolean("IsActionableRecovery", a.IsActionableRecovery);
        writer.WriteNumber("RecoveryId", a.RecoveryId);
        F.GtidMode.WriteAnalysisJson(writer, a.GTIDMode);
        writer.WriteGoString("MinReplicaGTIDMode", a.MinReplicaGTIDMode);
        writer.WriteGoString("MaxReplicaGTIDMode", a.MaxReplicaGTIDMode);
        writer.WriteGoString("MaxReplicaGTIDErrant", a.MaxReplicaGTIDErrant);
        F.ReadOnly.WriteAnalysisJson(writer, a.IsReadOnly);
        F.IsDiskStalled.WriteAnalysisJson(writer, a.IsDiskStalled);
        writer.WriteEndObject();
    }

    private static void WriteMatchedProblems(Utf8JsonWriter writer, IReadOnlyList<MatchedProblem> problems)
    {
        writer.WritePropertyName("AnalysisMatchedProblems");
        if (problems.Count == 0)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var problem in problems)
        {
            writer.WriteStartObject();
            writer.WriteGoString("Analysis", problem.Analysis);
            writer.WriteGoString("Description", problem.Description);
            writer.WriteBoolean("HasShardWideAction", problem.HasShardWideAction);
            writer.WriteNumber("Priority", (int)problem.Priority);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
