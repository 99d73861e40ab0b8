using System.Globalization;
using System.Text.Json;
using Vtorc.Orchestrator.Analysis;
using F = Vtorc.Orchestrator.Analysis.InstanceObservation.Fields;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// VTOrc's <c>Instance</c> object (go/vt/vtorc/inst/instance.go), as <c>/api/problems</c> and <c>/api/errant-gtids</c>
/// list it, built from a tablet record and its latest observation. Fields keep Go's names and order; an observation
/// field's name and encoding come from its row in <see cref="InstanceObservation.Fields"/>, and the values written by
/// hand here are the ones the table marks <c>InstanceJsonByHand</c> or that VTOrc derives.
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
        writer.WriteGoString(F.Hostname.InstanceJson!, o?.Hostname ?? tablet.MysqlHostname);
        writer.WriteNumber(F.Port.InstanceJson!, o?.Port ?? tablet.MysqlPort);
        writer.WriteGoString(F.Alias.InstanceJson!, tablet.Alias);
        writer.WriteNumber(F.CurrentTabletType.InstanceJson!, (int)(o?.CurrentTabletType ?? tablet.Type));
        writer.WriteGoString(F.Cell.InstanceJson!, string.IsNullOrEmpty(o?.Cell) ? tablet.Cell : o.Cell);
        F.ServerId.WriteInstanceJson(writer, o);
        F.ServerUuid.WriteInstanceJson(writer, o);
        F.Version.WriteInstanceJson(writer, o);
        F.VersionComment.WriteInstanceJson(writer, o);
        writer.WriteGoString("FlavorName", FlavorName(o?.VersionComment ?? ""));
        F.ReadOnly.WriteInstanceJson(writer, o);
        F.BinlogFormat.WriteInstanceJson(writer, o);
        F.BinlogRowImage.WriteInstanceJson(writer, o);
        F.LogBinEnabled.WriteInstanceJson(writer, o);
        F.LogReplicaUpdates.WriteInstanceJson(writer, o);
        F.SelfBinlogCoordinates.WriteInstanceJson(writer, o);
        F.SourceHost.WriteInstanceJson(writer, o);
        F.SourcePort.WriteInstanceJson(writer, o);
        F.SourceUuid.WriteInstanceJson(writer, o);
        F.AncestryUuid.WriteInstanceJson(writer, o);
        F.ReplicaNetTimeout.WriteInstanceJson(writer, o);
        F.HeartbeatInterval.WriteInstanceJson(writer, o);
        writer.WriteBoolean("ReplicationSQLThreadRuning", o?.ReplicationSqlThreadRunning ?? false);
        writer.WriteBoolean("ReplicationIOThreadRuning", o?.ReplicationIoThreadRunning ?? false);
        // A never-polled row reads as 0 in VTOrc (a NULL column), not as "no thread".
        writer.WriteNumber(F.ReplicationSqlThreadState.InstanceJson!, o is null ? 0 : (int)o.ReplicationSqlThreadState);
        writer.WriteNumber(F.ReplicationIoThreadState.InstanceJson!, o is null ? 0 : (int)o.ReplicationIoThreadState);
        F.HasReplicationFilters.WriteInstanceJson(writer, o);
        F.GtidMode.WriteInstanceJson(writer, o);
        writer.WriteBoolean("SupportsOracleGTID", o is not null && SupportsOracleGtid(o.GtidMode));
        F.UsingAutoPosition.WriteInstanceJson(writer, o);
        var exec = BinlogCoordinates.FromFilePosition(o?.ExecSourcePosition);
        BinlogCoordinatesJson.Write(writer, F.ReadSourcePosition.InstanceJson!, BinlogCoordinates.FromFilePosition(o?.ReadSourcePosition));
        BinlogCoordinatesJson.Write(writer, F.ExecSourcePosition.InstanceJson!, exec);
        writer.WriteBoolean("IsDetached", exec.LogFile.StartsWith("//", StringComparison.Ordinal));
        BinlogCoordinatesJson.Write(writer, F.RelayLogPosition.InstanceJson!, BinlogCoordinates.FromFilePosition(o?.RelayLogPosition) with { Type = 1 });
        F.LastSqlError.WriteInstanceJson(writer, o);
        F.LastIoError.WriteInstanceJson(writer, o);
        F.ReplicationLagSeconds.WriteVitessJson(writer, "SecondsBehindPrimary", F.ReplicationLagSeconds.OrDefault(o));
        F.SqlDelay.WriteInstanceJson(writer, o);
        F.ExecutedGtidSet.WriteInstanceJson(writer, o);
        F.GtidPurged.WriteInstanceJson(writer, o);
        F.GtidErrant.WriteInstanceJson(writer, o);
        F.ReplicationLagSeconds.WriteInstanceJson(writer, o);
        F.ReplicationDepth.WriteInstanceJson(writer, o);
        F.IsCoPrimary.WriteInstanceJson(writer, o);
        F.HasReplicationCredentials.WriteInstanceJson(writer, o);
        writer.WriteBoolean("SemiSyncEnforced", false);
        F.SemiSyncPrimaryEnabled.WriteInstanceJson(writer, o);
        F.SemiSyncReplicaEnabled.WriteInstanceJson(writer, o);
        F.SemiSyncPrimaryTimeout.WriteInstanceJson(writer, o);
        F.SemiSyncPrimaryWaitForReplicaCount.WriteInstanceJson(writer, o);
        F.SemiSyncPrimaryStatus.WriteInstanceJson(writer, o);
        F.SemiSyncPrimaryClients.WriteInstanceJson(writer, o);
        F.SemiSyncReplicaStatus.WriteInstanceJson(writer, o);
        F.SemiSyncBlocked.WriteInstanceJson(writer, o);
        writer.WriteGoString(F.LastSeen.InstanceJson!, o is null ? "" : SqliteDateTime(o.LastSeen));
        writer.WriteBoolean("IsLastCheckValid", o?.LastCheckSucceeded ?? false);
        writer.WriteBoolean("IsUpToDate", o is not null && InstanceProblems.IsUpToDate(o, settings, now));
        writer.WriteBoolean("IsRecentlyChecked", o is not null && InstanceProblems.IsRecentlyChecked(o, settings, now));
        writer.WriteGoNullInt64("SecondsSinceLastSeen", o is null ? null : WholeSeconds.Of(now - o.LastSeen));
        F.IsDiskStalled.WriteInstanceJson(writer, o);
        F.AllowTls.WriteInstanceJson(writer, o);
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
