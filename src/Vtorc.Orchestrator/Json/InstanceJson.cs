using System.Globalization;
using System.Text.Json;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// VTOrc's <c>Instance</c> object (go/vt/vtorc/inst/instance.go), as <c>/api/problems</c> and <c>/api/errant-gtids</c>
/// list it, built from a tablet record and its latest observation. Fields keep Go's names and order.
/// </summary>
/// <remarks>
/// Values we do not have, and what we write instead:
/// <list type="bullet">
/// <item><c>SemiSyncEnforced</c>: false (VTOrc never sets it any more).</item>
/// <item><c>LastDiscoveryLatency</c>: 0 — polls are not timed per instance.</item>
/// <item><c>StalledDisk</c>: the observation's stalled-disk flag (VTOrc's row reader leaves it false).</item>
/// <item><c>SecondsBehindPrimary</c> and <c>ReplicationLagSeconds</c>: both the one lag we observe (VTOrc stores the
/// same FullStatus value in two columns).</item>
/// <item>A tablet never polled: host, port, alias, cell and type from the topo record, Go zero values elsewhere,
/// <c>IsLastCheckValid</c>, <c>IsUpToDate</c> and <c>IsRecentlyChecked</c> false, <c>SecondsSinceLastSeen</c> not
/// valid, problem <c>last_check_invalid</c>. (VTOrc's endpoints never list such a tablet; other pages may.)</item>
/// </list>
/// <c>TabletType</c> is the type the tablet reports running as (what VTOrc stores per instance), a number.
/// <c>LastSeenTimestamp</c> is SQLite's <c>DATETIME</c> text in UTC, as VTOrc's backend returns it.
/// </remarks>
internal static class InstanceJson
{
    /// <summary>The whole response body: an array, or <c>null</c> when there is no instance (no trailing newline).</summary>
    public static string Write(IReadOnlyList<InstanceEntry>? instances, AnalysisSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (instances is null || instances.Count == 0)
        {
            return "null";
        }
        return GoJsonWriter.Render(writer =>
        {
            writer.WriteStartArray();
            foreach (var instance in instances)
            {
                WriteObject(writer, instance.Tablet, instance.Observation, settings, now);
            }
            writer.WriteEndArray();
        });
    }

    /// <summary>One Instance object; <paramref name="observation"/> null for a tablet never polled.</summary>
    public static void WriteObject(Utf8JsonWriter writer, TabletRecord tablet, InstanceObservation? observation,
        AnalysisSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tablet);
        ArgumentNullException.ThrowIfNull(settings);
        var o = observation;
        writer.WriteStartObject();
        writer.WriteGoString("Hostname", o?.Hostname ?? tablet.MysqlHostname);
        writer.WriteNumber("Port", o?.Port ?? tablet.MysqlPort);
        writer.WriteGoString("InstanceAlias", tablet.Alias);
        writer.WriteNumber("TabletType", (int)(o?.CurrentTabletType ?? tablet.Type));
        writer.WriteGoString("Cell", string.IsNullOrEmpty(o?.Cell) ? tablet.Cell : o.Cell);
        writer.WriteNumber("ServerID", o?.ServerId ?? 0);
        writer.WriteGoString("ServerUUID", o?.ServerUuid ?? "");
        writer.WriteGoString("Version", o?.Version ?? "");
        writer.WriteGoString("VersionComment", o?.VersionComment ?? "");
        writer.WriteGoString("FlavorName", FlavorName(o?.VersionComment ?? ""));
        writer.WriteBoolean("ReadOnly", o?.ReadOnly ?? false);
        writer.WriteGoString("BinlogFormat", o?.BinlogFormat ?? "");
        writer.WriteGoString("BinlogRowImage", o?.BinlogRowImage ?? "");
        writer.WriteBoolean("LogBinEnabled", o?.LogBinEnabled ?? false);
        writer.WriteBoolean("LogReplicationUpdatesEnabled", o?.LogReplicaUpdates ?? false);
        BinlogCoordinatesJson.Write(writer, "SelfBinlogCoordinates", o?.SelfBinlogCoordinates ?? BinlogCoordinates.Empty);
        writer.WriteGoString("SourceHost", o?.SourceHost ?? "");
        writer.WriteNumber("SourcePort", o?.SourcePort ?? 0);
        writer.WriteGoString("SourceUUID", o?.SourceUuid ?? "");
        writer.WriteGoString("AncestryUUID", o?.AncestryUuid ?? "");
        writer.WriteNumber("ReplicaNetTimeout", o?.ReplicaNetTimeout ?? 0);
        writer.WriteGoFloat("HeartbeatInterval", o?.HeartbeatInterval ?? 0);
        writer.WriteBoolean("ReplicationSQLThreadRuning", o?.ReplicationSqlThreadRunning ?? false);
        writer.WriteBoolean("ReplicationIOThreadRuning", o?.ReplicationIoThreadRunning ?? false);
        // A never-polled row reads as 0 in VTOrc (a NULL column), not as "no thread".
        writer.WriteNumber("ReplicationSQLThreadState", o is null ? 0 : (int)o.ReplicationSqlThreadState);
        writer.WriteNumber("ReplicationIOThreadState", o is null ? 0 : (int)o.ReplicationIoThreadState);
        writer.WriteBoolean("HasReplicationFilters", o?.HasReplicationFilters ?? false);
        writer.WriteGoString("GTIDMode", o?.GtidMode ?? "");
        writer.WriteBoolean("SupportsOracleGTID", o is not null && SupportsOracleGtid(o.GtidMode));
        writer.WriteBoolean("UsingOracleGTID", o?.UsingAutoPosition ?? false);
        var exec = BinlogCoordinates.FromFilePosition(o?.ExecSourcePosition);
        BinlogCoordinatesJson.Write(writer, "ReadBinlogCoordinates", BinlogCoordinates.FromFilePosition(o?.ReadSourcePosition));
        BinlogCoordinatesJson.Write(writer, "ExecBinlogCoordinates", exec);
        writer.WriteBoolean("IsDetached", exec.LogFile.StartsWith("//", StringComparison.Ordinal));
        BinlogCoordinatesJson.Write(writer, "RelaylogCoordinates", BinlogCoordinates.FromFilePosition(o?.RelayLogPosition) with { Type = 1 });
        writer.WriteGoString("LastSQLError", o?.LastSqlError ?? "");
        writer.WriteGoString("LastIOError", o?.LastIoError ?? "");
        writer.WriteGoNullInt64("SecondsBehindPrimary", o?.ReplicationLagSeconds);
        writer.WriteNumber("SQLDelay", o?.SqlDelay ?? 0);
        writer.WriteGoString("ExecutedGtidSet", o?.ExecutedGtidSet ?? "");
        writer.WriteGoString("GtidPurged", o?.GtidPurged ?? "");
        writer.WriteGoString("GtidErrant", o?.GtidErrant ?? "");
        writer.WriteGoNullInt64("ReplicationLagSeconds", o?.ReplicationLagSeconds);
        writer.WriteNumber("ReplicationDepth", o?.ReplicationDepth ?? 0);
        writer.WriteBoolean("IsCoPrimary", o?.IsCoPrimary ?? false);
        writer.WriteBoolean("HasReplicationCredentials", o?.HasReplicationCredentials ?? false);
        writer.WriteBoolean("SemiSyncEnforced", false);
        writer.WriteBoolean("SemiSyncPrimaryEnabled", o?.SemiSyncPrimaryEnabled ?? false);
        writer.WriteBoolean("SemiSyncReplicaEnabled", o?.SemiSyncReplicaEnabled ?? false);
        writer.WriteNumber("SemiSyncPrimaryTimeout", o?.SemiSyncPrimaryTimeout ?? 0);
        writer.WriteNumber("SemiSyncPrimaryWaitForReplicaCount", o?.SemiSyncPrimaryWaitForReplicaCount ?? 0);
        writer.WriteBoolean("SemiSyncPrimaryStatus", o?.SemiSyncPrimaryStatus ?? false);
        writer.WriteNumber("SemiSyncPrimaryClients", o?.SemiSyncPrimaryClients ?? 0);
        writer.WriteBoolean("SemiSyncReplicaStatus", o?.SemiSyncReplicaStatus ?? false);
        writer.WriteBoolean("SemiSyncBlocked", o?.SemiSyncBlocked ?? false);
        writer.WriteGoString("LastSeenTimestamp", o is null ? "" : SqliteDateTime(o.LastSeen));
        writer.WriteBoolean("IsLastCheckValid", o?.LastCheckSucceeded ?? false);
        writer.WriteBoolean("IsUpToDate", o is not null && InstanceProblems.IsUpToDate(o, settings, now));
        writer.WriteBoolean("IsRecentlyChecked", o is not null && InstanceProblems.IsRecentlyChecked(o, settings, now));
        writer.WriteGoNullInt64("SecondsSinceLastSeen", o is null ? null : WholeSeconds.Of(now - o.LastSeen));
        writer.WriteBoolean("StalledDisk", o?.IsDiskStalled ?? false);
        writer.WriteBoolean("AllowTLS", o?.AllowTls ?? false);
        // VTOrc starts every instance with an empty, non-nil list: "[]", never null.
        writer.WriteStartArray("Problems");
        foreach (var problem in o is null ? [InstanceProblems.LastCheckInvalid] : InstanceProblems.Of(o, settings, now))
        {
            writer.WriteStringValue(problem);
        }
        writer.WriteEndArray();
        writer.WriteNumber("LastDiscoveryLatency", 0);
        writer.WriteEndObject();
    }

    /// <summary>VTOrc's flavour from the version comment: Percona Server, else Oracle MySQL.</summary>
    public static string FlavorName(string versionComment) =>
        versionComment.Contains("Percona", StringComparison.Ordinal) ? "Percona" : "MySQL";

    private static bool SupportsOracleGtid(string gtidMode) =>
        gtidMode.Length != 0 && !string.Equals(gtidMode, "OFF", StringComparison.OrdinalIgnoreCase);

    private static string SqliteDateTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
