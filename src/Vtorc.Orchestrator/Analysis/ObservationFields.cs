using Replicationdata;
using Topodata;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Snapshot;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Orchestrator.Analysis;

public sealed partial record InstanceObservation
{
    /// <summary>
    /// The table of observation fields: every stored field of <see cref="InstanceObservation"/> once, in snapshot order,
    /// with its snapshot name and encoding, where its value comes from (and how it is read from FullStatus), and its
    /// names in VTOrc's Instance and DetectionAnalysis JSON. <see cref="FromFullStatus"/>, the snapshot file
    /// (<c>Snapshot.ObservationJson</c>), the Instance JSON (<c>Json.InstanceJson</c>), the analysis JSON
    /// (<c>Json.DetectionAnalysisJson</c>) and <see cref="DetectionAnalysis"/> all go through it; a JSON value that is
    /// not a plain copy says so here (<c>…ByHand</c>) and is written next to the rows it uses. Nested in the record
    /// because the setters write its private backing fields: observations stay immutable to everyone else.
    /// Adding a field: a property with a backing field on the record, and a row here (added to <see cref="All"/>).
    /// </summary>
    internal static class Fields
    {
        public static readonly ObservationField<string> Alias = new("alias", ObservationSource.TabletRecord,
            o => o.Alias, (o, v) => o._alias = v, SnapshotCodecs.RequiredText)
        { InstanceJson = "InstanceAlias", InstanceJsonByHand = "the tablet record's alias, also for a tablet never polled" };

        public static readonly ObservationField<string> Hostname = new("hostname", ObservationSource.TabletRecord,
            o => o.Hostname, (o, v) => o._hostname = v, SnapshotCodecs.RequiredText, VitessJsonValues.Text)
        { InstanceJson = "Hostname", InstanceJsonByHand = "the tablet record's MySQL host for a tablet never polled" };

        public static readonly ObservationField<int> Port = new("port", ObservationSource.TabletRecord,
            o => o.Port, (o, v) => o._port = v, SnapshotCodecs.RequiredPort, VitessJsonValues.Int32)
        { InstanceJson = "Port", InstanceJsonByHand = "the tablet record's MySQL port for a tablet never polled" };

        public static readonly ObservationField<string> Cell = new("cell", ObservationSource.TabletRecord,
            o => o.Cell, (o, v) => o._cell = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { InstanceJson = "Cell", InstanceJsonByHand = "the tablet record's cell when the observation has none" };

        public static readonly ObservationField<uint> ServerId = new("server_id", ObservationSource.FullStatus,
            o => o.ServerId, (o, v) => o._serverId = v, SnapshotCodecs.UInt32, VitessJsonValues.UInt32)
        { FromFullStatus = s => s.ServerId, InstanceJson = "ServerID" };

        public static readonly ObservationField<string> ServerUuid = new("server_uuid", ObservationSource.FullStatus,
            o => o.ServerUuid, (o, v) => o._serverUuid = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.ServerUuid, InstanceJson = "ServerUUID" };

        public static readonly ObservationField<string> Version = new("version", ObservationSource.FullStatus,
            o => o.Version, (o, v) => o._version = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.Version, InstanceJson = "Version" };

        public static readonly ObservationField<string> VersionComment = new("version_comment", ObservationSource.FullStatus,
            o => o.VersionComment, (o, v) => o._versionComment = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.VersionComment, InstanceJson = "VersionComment" };

        public static readonly ObservationField<string> MajorVersion = new("major_version", ObservationSource.FullStatus,
            o => o.MajorVersion, (o, v) => o._majorVersion = v, SnapshotCodecs.Text)
        { FromFullStatus = s => MajorVersionOf(s.Version) };

        public static readonly ObservationField<TabletType> CurrentTabletType = new("current_tablet_type", ObservationSource.FullStatus,
            o => o.CurrentTabletType, (o, v) => o._currentTabletType = v, SnapshotCodecs.TabletTypeName, VitessJsonValues.TabletTypeNumber)
        {
            FromFullStatus = s => s.TabletType,
            InstanceJson = "TabletType",
            InstanceJsonByHand = "the tablet record's type for a tablet never polled",
            AnalysisJson = "CurrentTabletType",
        };

        public static readonly ObservationField<bool> ReadOnly = new("read_only", ObservationSource.FullStatus,
            o => o.ReadOnly, (o, v) => o._readOnly = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.ReadOnly, InstanceJson = "ReadOnly", AnalysisJson = "IsReadOnly" };

        public static readonly ObservationField<bool> SuperReadOnly = new("super_read_only", ObservationSource.FullStatus,
            o => o.SuperReadOnly, (o, v) => o._superReadOnly = v, SnapshotCodecs.Bool)
        { FromFullStatus = s => s.SuperReadOnly };

        public static readonly ObservationField<bool> LogBinEnabled = new("log_bin_enabled", ObservationSource.FullStatus,
            o => o.LogBinEnabled, (o, v) => o._logBinEnabled = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.LogBinEnabled, InstanceJson = "LogBinEnabled" };

        public static readonly ObservationField<bool> LogReplicaUpdates = new("log_replica_updates", ObservationSource.FullStatus,
            o => o.LogReplicaUpdates, (o, v) => o._logReplicaUpdates = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.LogReplicaUpdates, InstanceJson = "LogReplicationUpdatesEnabled" };

        public static readonly ObservationField<string> BinlogFormat = new("binlog_format", ObservationSource.FullStatus,
            o => o.BinlogFormat, (o, v) => o._binlogFormat = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.BinlogFormat, InstanceJson = "BinlogFormat" };

        public static readonly ObservationField<string> BinlogRowImage = new("binlog_row_image", ObservationSource.FullStatus,
            o => o.BinlogRowImage, (o, v) => o._binlogRowImage = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.BinlogRowImage, InstanceJson = "BinlogRowImage" };

        public static readonly ObservationField<BinlogCoordinates> SelfBinlogCoordinates = new("self_binlog_coordinates", ObservationSource.FullStatus,
            o => o.SelfBinlogCoordinates, (o, v) => o._selfBinlogCoordinates = v, SnapshotCodecs.Coordinates, VitessJsonValues.Coordinates)
        {
            FromFullStatus = s => s.LogBinEnabled ? BinlogCoordinates.FromFilePosition(s.PrimaryStatus?.FilePosition) : BinlogCoordinates.Empty,
            InstanceJson = "SelfBinlogCoordinates",
            AnalysisJson = "AnalyzedInstanceBinlogCoordinates",
        };

        public static readonly ObservationField<string> ExecutedGtidSet = new("executed_gtid_set", ObservationSource.FullStatus,
            o => o.ExecutedGtidSet, (o, v) => o._executedGtidSet = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.PrimaryStatus?.Position ?? "", InstanceJson = "ExecutedGtidSet" };

        public static readonly ObservationField<string> GtidPurged = new("gtid_purged", ObservationSource.FullStatus,
            o => o.GtidPurged, (o, v) => o._gtidPurged = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.GtidPurged, InstanceJson = "GtidPurged" };

        public static readonly ObservationField<string> GtidBinlogState = new("gtid_binlog_state", ObservationSource.FullStatus,
            o => o.GtidBinlogState, (o, v) => o._gtidBinlogState = v, SnapshotCodecs.Text)
        { FromFullStatus = s => s.GtidBinlogState };

        public static readonly ObservationField<string> GtidMode = new("gtid_mode", ObservationSource.FullStatus,
            o => o.GtidMode, (o, v) => o._gtidMode = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.GtidMode, InstanceJson = "GTIDMode", AnalysisJson = "GTIDMode" };

        public static readonly ObservationField<bool> SemiSyncPrimaryEnabled = new("semi_sync_primary_enabled", ObservationSource.FullStatus,
            o => o.SemiSyncPrimaryEnabled, (o, v) => o._semiSyncPrimaryEnabled = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.SemiSyncPrimaryEnabled, InstanceJson = "SemiSyncPrimaryEnabled", AnalysisJson = "SemiSyncPrimaryEnabled" };

        public static readonly ObservationField<bool> SemiSyncReplicaEnabled = new("semi_sync_replica_enabled", ObservationSource.FullStatus,
            o => o.SemiSyncReplicaEnabled, (o, v) => o._semiSyncReplicaEnabled = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.SemiSyncReplicaEnabled, InstanceJson = "SemiSyncReplicaEnabled", AnalysisJson = "SemiSyncReplicaEnabled" };

        public static readonly ObservationField<bool> SemiSyncPrimaryStatus = new("semi_sync_primary_status", ObservationSource.FullStatus,
            o => o.SemiSyncPrimaryStatus, (o, v) => o._semiSyncPrimaryStatus = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.SemiSyncPrimaryStatus, InstanceJson = "SemiSyncPrimaryStatus", AnalysisJson = "SemiSyncPrimaryStatus" };

        public static readonly ObservationField<bool> SemiSyncReplicaStatus = new("semi_sync_replica_status", ObservationSource.FullStatus,
            o => o.SemiSyncReplicaStatus, (o, v) => o._semiSyncReplicaStatus = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.SemiSyncReplicaStatus, InstanceJson = "SemiSyncReplicaStatus" };

        public static readonly ObservationField<uint> SemiSyncPrimaryClients = new("semi_sync_primary_clients", ObservationSource.FullStatus,
            o => o.SemiSyncPrimaryClients, (o, v) => o._semiSyncPrimaryClients = v, SnapshotCodecs.UInt32, VitessJsonValues.UInt32)
        { FromFullStatus = s => s.SemiSyncPrimaryClients, InstanceJson = "SemiSyncPrimaryClients", AnalysisJson = "SemiSyncPrimaryClients" };

        public static readonly ObservationField<ulong> SemiSyncPrimaryTimeout = new("semi_sync_primary_timeout", ObservationSource.FullStatus,
            o => o.SemiSyncPrimaryTimeout, (o, v) => o._semiSyncPrimaryTimeout = v, SnapshotCodecs.UInt64, VitessJsonValues.UInt64)
        { FromFullStatus = s => s.SemiSyncPrimaryTimeout, InstanceJson = "SemiSyncPrimaryTimeout" };

        public static readonly ObservationField<uint> SemiSyncPrimaryWaitForReplicaCount = new("semi_sync_primary_wait_for_replica_count", ObservationSource.FullStatus,
            o => o.SemiSyncPrimaryWaitForReplicaCount, (o, v) => o._semiSyncPrimaryWaitForReplicaCount = v, SnapshotCodecs.UInt32, VitessJsonValues.UInt32)
        {
            FromFullStatus = s => s.SemiSyncWaitForReplicaCount,
            InstanceJson = "SemiSyncPrimaryWaitForReplicaCount",
            AnalysisJson = "SemiSyncPrimaryWaitForReplicaCount",
        };

        public static readonly ObservationField<bool> SemiSyncBlocked = new("semi_sync_blocked", ObservationSource.FullStatus,
            o => o.SemiSyncBlocked, (o, v) => o._semiSyncBlocked = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.SemiSyncBlocked, InstanceJson = "SemiSyncBlocked", AnalysisJson = "SemiSyncBlocked" };

        public static readonly ObservationField<string> SourceHost = new("source_host", ObservationSource.FullStatus,
            o => o.SourceHost, (o, v) => o._sourceHost = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.ReplicationStatus?.SourceHost ?? "", InstanceJson = "SourceHost" };

        public static readonly ObservationField<int> SourcePort = new("source_port", ObservationSource.FullStatus,
            o => o.SourcePort, (o, v) => o._sourcePort = v, SnapshotCodecs.Port, VitessJsonValues.Int32)
        { FromFullStatus = s => s.ReplicationStatus?.SourcePort ?? 0, InstanceJson = "SourcePort" };

        public static readonly ObservationField<string> SourceUuid = new("source_uuid", ObservationSource.FullStatus,
            o => o.SourceUuid, (o, v) => o._sourceUuid = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.ReplicationStatus?.SourceUuid ?? "", InstanceJson = "SourceUUID" };

        public static readonly ObservationField<bool> HasReplicationCredentials = new("has_replication_credentials", ObservationSource.FullStatus,
            o => o.HasReplicationCredentials, (o, v) => o._hasReplicationCredentials = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => !string.IsNullOrEmpty(s.ReplicationStatus?.SourceUser), InstanceJson = "HasReplicationCredentials" };

        public static readonly ObservationField<ReplicationThreadState> ReplicationIoThreadState = new("replication_io_thread_state", ObservationSource.FullStatus,
            o => o.ReplicationIoThreadState, (o, v) => o._replicationIoThreadState = v, SnapshotCodecs.ThreadState, VitessJsonValues.ThreadStateNumber)
        {
            FromFullStatus = s => s.ReplicationStatus is { } r ? ReplicationThreadStates.FromWire(r.IoState) : ReplicationThreadState.NoThread,
            InstanceJson = "ReplicationIOThreadState",
            InstanceJsonByHand = "0 (a NULL column in VTOrc) for a tablet never polled, not no_thread",
        };

        public static readonly ObservationField<ReplicationThreadState> ReplicationSqlThreadState = new("replication_sql_thread_state", ObservationSource.FullStatus,
            o => o.ReplicationSqlThreadState, (o, v) => o._replicationSqlThreadState = v, SnapshotCodecs.ThreadState, VitessJsonValues.ThreadStateNumber)
        {
            FromFullStatus = s => s.ReplicationStatus is { } r ? ReplicationThreadStates.FromWire(r.SqlState) : ReplicationThreadState.NoThread,
            InstanceJson = "ReplicationSQLThreadState",
            InstanceJsonByHand = "0 (a NULL column in VTOrc) for a tablet never polled, not no_thread",
        };

        public static readonly ObservationField<long?> ReplicationLagSeconds = new("replication_lag_seconds", ObservationSource.FullStatus,
            o => o.ReplicationLagSeconds, (o, v) => o._replicationLagSeconds = v, SnapshotCodecs.NullableInt64, VitessJsonValues.NullInt64)
        {
            FromFullStatus = s => s.ReplicationStatus is { ReplicationLagUnknown: false } r ? r.ReplicationLagSeconds : null,
            InstanceJson = "ReplicationLagSeconds",
        };

        // Our agent's extension (FullStatus field 10002): the analysis counts a silent replica as not replicating, so a
        // snapshot without it would replay to a different analysis.
        public static readonly ObservationField<double?> SourceSilenceSeconds = new("source_silence_seconds", ObservationSource.FullStatus,
            o => o.SourceSilenceSeconds, (o, v) => o._sourceSilenceSeconds = v, SnapshotCodecs.NullableSeconds)
        {
            FromFullStatus = s => s.HasSourceSilenceSeconds && double.IsFinite(s.SourceSilenceSeconds) && s.SourceSilenceSeconds >= 0
                ? s.SourceSilenceSeconds
                : null,
        };

        public static readonly ObservationField<uint> SqlDelay = new("sql_delay", ObservationSource.FullStatus,
            o => o.SqlDelay, (o, v) => o._sqlDelay = v, SnapshotCodecs.UInt32, VitessJsonValues.UInt32)
        { FromFullStatus = s => s.ReplicationStatus?.SqlDelay ?? 0, InstanceJson = "SQLDelay" };

        public static readonly ObservationField<string> LastIoError = new("last_io_error", ObservationSource.FullStatus,
            o => o.LastIoError, (o, v) => o._lastIoError = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.ReplicationStatus?.LastIoError ?? "", InstanceJson = "LastIOError" };

        public static readonly ObservationField<string> LastSqlError = new("last_sql_error", ObservationSource.FullStatus,
            o => o.LastSqlError, (o, v) => o._lastSqlError = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { FromFullStatus = s => s.ReplicationStatus?.LastSqlError ?? "", InstanceJson = "LastSQLError" };

        public static readonly ObservationField<bool> UsingAutoPosition = new("using_auto_position", ObservationSource.FullStatus,
            o => o.UsingAutoPosition, (o, v) => o._usingAutoPosition = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.ReplicationStatus?.AutoPosition ?? false, InstanceJson = "UsingOracleGTID" };

        public static readonly ObservationField<bool> HasReplicationFilters = new("has_replication_filters", ObservationSource.FullStatus,
            o => o.HasReplicationFilters, (o, v) => o._hasReplicationFilters = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.ReplicationStatus?.HasReplicationFilters ?? false, InstanceJson = "HasReplicationFilters" };

        public static readonly ObservationField<bool> AllowTls = new("allow_tls", ObservationSource.FullStatus,
            o => o.AllowTls, (o, v) => o._allowTls = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { FromFullStatus = s => s.ReplicationStatus?.SslAllowed ?? false, InstanceJson = "AllowTLS" };

        public static readonly ObservationField<string> ReadSourcePosition = new("read_source_position", ObservationSource.FullStatus,
            o => o.ReadSourcePosition, (o, v) => o._readSourcePosition = v, SnapshotCodecs.Text)
        {
            FromFullStatus = s => s.ReplicationStatus?.RelayLogSourceBinlogEquivalentPosition ?? "",
            InstanceJson = "ReadBinlogCoordinates",
            InstanceJsonByHand = "parsed into binlog coordinates",
        };

        public static readonly ObservationField<string> ExecSourcePosition = new("exec_source_position", ObservationSource.FullStatus,
            o => o.ExecSourcePosition, (o, v) => o._execSourcePosition = v, SnapshotCodecs.Text)
        {
            FromFullStatus = s => s.ReplicationStatus?.FilePosition ?? "",
            InstanceJson = "ExecBinlogCoordinates",
            InstanceJsonByHand = "parsed into binlog coordinates (and IsDetached from them)",
        };

        public static readonly ObservationField<string> RelayLogPosition = new("relay_log_position", ObservationSource.FullStatus,
            o => o.RelayLogPosition, (o, v) => o._relayLogPosition = v, SnapshotCodecs.Text)
        {
            FromFullStatus = s => s.ReplicationStatus?.RelayLogFilePosition ?? "",
            InstanceJson = "RelaylogCoordinates",
            InstanceJsonByHand = "parsed into relay-log coordinates (type 1)",
        };

        public static readonly ObservationField<int> ReplicaNetTimeout = new("replica_net_timeout", ObservationSource.FullStatus,
            o => o.ReplicaNetTimeout, (o, v) => o._replicaNetTimeout = v, SnapshotCodecs.Int32, VitessJsonValues.Int32)
        {
            FromFullStatus = s => s.ReplicationConfiguration?.ReplicaNetTimeout ?? 0,
            InstanceJson = "ReplicaNetTimeout",
            AnalysisJson = "ReplicaNetTimeout",
        };

        public static readonly ObservationField<double> HeartbeatInterval = new("heartbeat_interval", ObservationSource.FullStatus,
            o => o.HeartbeatInterval, (o, v) => o._heartbeatInterval = v, SnapshotCodecs.Float, VitessJsonValues.Float)
        {
            FromFullStatus = s => s.ReplicationConfiguration?.HeartbeatInterval ?? 0,
            InstanceJson = "HeartbeatInterval",
            AnalysisJson = "HeartbeatInterval",
        };

        public static readonly ObservationField<string> AncestryUuid = new("ancestry_uuid", ObservationSource.Shard,
            o => o.AncestryUuid, (o, v) => o._ancestryUuid = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { InstanceJson = "AncestryUUID" };

        public static readonly ObservationField<int> ReplicationDepth = new("replication_depth", ObservationSource.Shard,
            o => o.ReplicationDepth, (o, v) => o._replicationDepth = v, SnapshotCodecs.NonNegativeInt32, VitessJsonValues.Int32)
        { InstanceJson = "ReplicationDepth" };

        public static readonly ObservationField<bool> IsCoPrimary = new("is_co_primary", ObservationSource.Shard,
            o => o.IsCoPrimary, (o, v) => o._isCoPrimary = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { InstanceJson = "IsCoPrimary" };

        public static readonly ObservationField<string> GtidErrant = new("gtid_errant", ObservationSource.Shard,
            o => o.GtidErrant, (o, v) => o._gtidErrant = v, SnapshotCodecs.Text, VitessJsonValues.Text)
        { InstanceJson = "GtidErrant", AnalysisJson = "ErrantGTID" };

        public static readonly ObservationField<long> GtidErrantCount = new("gtid_errant_count", ObservationSource.Shard,
            o => o.GtidErrantCount, (o, v) => o._gtidErrantCount = v, SnapshotCodecs.NonNegativeInt64);

        public static readonly ObservationField<DateTimeOffset> LastChecked = new("last_checked", ObservationSource.Poll,
            o => o.LastChecked, (o, v) => o._lastChecked = v, SnapshotCodecs.RequiredTime);

        public static readonly ObservationField<DateTimeOffset> LastSeen = new("last_seen", ObservationSource.Poll,
            o => o.LastSeen, (o, v) => o._lastSeen = v, SnapshotCodecs.RequiredTime)
        { InstanceJson = "LastSeenTimestamp", InstanceJsonByHand = "SQLite DATETIME text, empty for a tablet never polled" };

        public static readonly ObservationField<DateTimeOffset> LastAttemptedCheck = new("last_attempted_check", ObservationSource.Poll,
            o => o.LastAttemptedCheck, (o, v) => o._lastAttemptedCheck = v, SnapshotCodecs.RequiredTime);

        public static readonly ObservationField<bool> LastCheckPartialSuccess = new("last_check_partial_success", ObservationSource.Poll,
            o => o.LastCheckPartialSuccess, (o, v) => o._lastCheckPartialSuccess = v, SnapshotCodecs.BoolTrueWhenAbsent, VitessJsonValues.Bool)
        { AnalysisJson = "LastCheckPartialSuccess", AnalysisJsonByHand = "false for a tablet never polled (the field's default is true)" };

        public static readonly ObservationField<bool> IsDiskStalled = new("is_disk_stalled", ObservationSource.Poll,
            o => o.IsDiskStalled, (o, v) => o._isDiskStalled = v, SnapshotCodecs.Bool, VitessJsonValues.Bool)
        { InstanceJson = "StalledDisk", AnalysisJson = "IsDiskStalled" };

        public static readonly ObservationField<TabletType> SelfReportedType = new("self_reported_type", ObservationSource.FullStatus,
            o => o.SelfReportedType, (o, v) => o._selfReportedType = v, SnapshotCodecs.OptionalTabletTypeName)
        { FromFullStatus = s => s.TabletType };

        public static readonly ObservationField<IReadOnlyList<ShardPeerReport>> ShardPeerHealth = new("shard_peer_health", ObservationSource.FullStatus,
            o => o.ShardPeerHealth, (o, v) => o._shardPeerHealth = v, SnapshotCodecs.ShardPeerReports)
        { FromFullStatus = PeerReportsOf };

        public static readonly ObservationField<PrimaryHealthWindow> PrimaryHealth = new("primary_health", ObservationSource.Poll,
            o => o.PrimaryHealth, (o, v) => o._primaryHealth = v, SnapshotCodecs.PrimaryHealth);

        /// <summary>
        /// A new observation for the rows to fill: the required fields empty, every other field at its default.
        /// </summary>
        public static InstanceObservation Unfilled() => new()
        {
            Alias = "",
            Hostname = "",
            Port = 0,
            LastChecked = default,
            LastSeen = default,
            LastAttemptedCheck = default,
        };

        /// <summary>Every row, in the order of the snapshot file.</summary>
        public static readonly ObservationField[] All =
        [
            Alias, Hostname, Port, Cell, ServerId, ServerUuid, Version, VersionComment, MajorVersion, CurrentTabletType,
            ReadOnly, SuperReadOnly, LogBinEnabled, LogReplicaUpdates, BinlogFormat, BinlogRowImage, SelfBinlogCoordinates,
            ExecutedGtidSet, GtidPurged, GtidBinlogState, GtidMode, SemiSyncPrimaryEnabled, SemiSyncReplicaEnabled,
            SemiSyncPrimaryStatus, SemiSyncReplicaStatus, SemiSyncPrimaryClients, SemiSyncPrimaryTimeout,
            SemiSyncPrimaryWaitForReplicaCount, SemiSyncBlocked, SourceHost, SourcePort, SourceUuid,
            HasReplicationCredentials, ReplicationIoThreadState, ReplicationSqlThreadState, ReplicationLagSeconds,
            SourceSilenceSeconds, SqlDelay, LastIoError, LastSqlError, UsingAutoPosition, HasReplicationFilters, AllowTls,
            ReadSourcePosition, ExecSourcePosition, RelayLogPosition, ReplicaNetTimeout, HeartbeatInterval, AncestryUuid,
            ReplicationDepth, IsCoPrimary, GtidErrant, GtidErrantCount, LastChecked, LastSeen, LastAttemptedCheck,
            LastCheckPartialSuccess, IsDiskStalled, SelfReportedType, ShardPeerHealth, PrimaryHealth,
        ];

        /// <summary>The rows <see cref="FromFullStatus"/> copies, in table order.</summary>
        public static readonly ObservationField[] ReadFromFullStatus = [.. All.Where(f => f.IsReadFromFullStatus)];

        private static IReadOnlyList<ShardPeerReport> PeerReportsOf(FullStatus status) =>
        [
            .. status.ShardPeerHealth.Where(p => p.TabletAlias is not null).Select(p => new ShardPeerReport(
                p.TabletAlias?.ToText() ?? "", p.ConsecutivePingFailures,
                p.LastAttemptedPing is null ? null : VtTime.ToDateTimeOffset(p.LastAttemptedPing),
                p.TimeSinceLastAttemptedPing is null ? null
                    : TimeSpan.FromSeconds(p.TimeSinceLastAttemptedPing.Seconds) + TimeSpan.FromTicks(p.TimeSinceLastAttemptedPing.Nanos / 100))),
        ];
    }
}
