using System.Text.Json;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>
/// An <see cref="InstanceObservation"/> in the snapshot file: every stored field under its snake-case name (derived
/// properties are recomputed on import). docs/snapshot-format.md lists them.
/// </summary>
internal static class ObservationJson
{
    public static void Write(Utf8JsonWriter writer, InstanceObservation o)
    {
        writer.WriteStartObject();
        writer.WriteGoString("alias", o.Alias);
        writer.WriteGoString("hostname", o.Hostname);
        writer.WriteNumber("port", o.Port);
        writer.WriteGoString("cell", o.Cell);
        writer.WriteNumber("server_id", o.ServerId);
        writer.WriteGoString("server_uuid", o.ServerUuid);
        writer.WriteGoString("version", o.Version);
        writer.WriteGoString("version_comment", o.VersionComment);
        writer.WriteGoString("major_version", o.MajorVersion);
        writer.WriteGoString("current_tablet_type", SnapshotNames.Of(o.CurrentTabletType));
        writer.WriteBoolean("read_only", o.ReadOnly);
        writer.WriteBoolean("super_read_only", o.SuperReadOnly);
        writer.WriteBoolean("log_bin_enabled", o.LogBinEnabled);
        writer.WriteBoolean("log_replica_updates", o.LogReplicaUpdates);
        writer.WriteGoString("binlog_format", o.BinlogFormat);
        writer.WriteGoString("binlog_row_image", o.BinlogRowImage);
        writer.WriteStartObject("self_binlog_coordinates");
        writer.WriteGoString("log_file", o.SelfBinlogCoordinates.LogFile);
        writer.WriteNumber("log_pos", o.SelfBinlogCoordinates.LogPos);
        writer.WriteNumber("type", o.SelfBinlogCoordinates.Type);
        writer.WriteEndObject();
        writer.WriteGoString("executed_gtid_set", o.ExecutedGtidSet);
        writer.WriteGoString("gtid_purged", o.GtidPurged);
        writer.WriteGoString("gtid_binlog_state", o.GtidBinlogState);
        writer.WriteGoString("gtid_mode", o.GtidMode);
        writer.WriteBoolean("semi_sync_primary_enabled", o.SemiSyncPrimaryEnabled);
        writer.WriteBoolean("semi_sync_replica_enabled", o.SemiSyncReplicaEnabled);
        writer.WriteBoolean("semi_sync_primary_status", o.SemiSyncPrimaryStatus);
        writer.WriteBoolean("semi_sync_replica_status", o.SemiSyncReplicaStatus);
        writer.WriteNumber("semi_sync_primary_clients", o.SemiSyncPrimaryClients);
        writer.WriteNumber("semi_sync_primary_timeout", o.SemiSyncPrimaryTimeout);
        writer.WriteNumber("semi_sync_primary_wait_for_replica_count", o.SemiSyncPrimaryWaitForReplicaCount);
        writer.WriteBoolean("semi_sync_blocked", o.SemiSyncBlocked);
        writer.WriteGoString("source_host", o.SourceHost);
        writer.WriteNumber("source_port", o.SourcePort);
        writer.WriteGoString("source_uuid", o.SourceUuid);
        writer.WriteBoolean("has_replication_credentials", o.HasReplicationCredentials);
        writer.WriteGoString("replication_io_thread_state", SnapshotNames.Of(o.ReplicationIoThreadState));
        writer.WriteGoString("replication_sql_thread_state", SnapshotNames.Of(o.ReplicationSqlThreadState));
        if (o.ReplicationLagSeconds is { } lag)
        {
            writer.WriteNumber("replication_lag_seconds", lag);
        }
        else
        {
            writer.WriteNull("replication_lag_seconds");
        }
        // Our agent's extension (FullStatus field 10002): the analysis counts a silent replica as not replicating, so a
        // snapshot without it would replay to a different analysis.
        if (o.SourceSilenceSeconds is { } silence)
        {
            writer.WriteNumber("source_silence_seconds", silence);
        }
        else
        {
            writer.WriteNull("source_silence_seconds");
        }
        writer.WriteNumber("sql_delay", o.SqlDelay);
        writer.WriteGoString("last_io_error", o.LastIoError);
        writer.WriteGoString("last_sql_error", o.LastSqlError);
        writer.WriteBoolean("using_auto_position", o.UsingAutoPosition);
        writer.WriteBoolean("has_replication_filters", o.HasReplicationFilters);
        writer.WriteBoolean("allow_tls", o.AllowTls);
        writer.WriteGoString("read_source_position", o.ReadSourcePosition);
        writer.WriteGoString("exec_source_position", o.ExecSourcePosition);
        writer.WriteGoString("relay_log_position", o.RelayLogPosition);
        writer.WriteNumber("replica_net_timeout", o.ReplicaNetTimeout);
        writer.WriteGoFloat("heartbeat_interval", o.HeartbeatInterval);
        writer.WriteGoString("ancestry_uuid", o.AncestryUuid);
        writer.WriteNumber("replication_depth", o.ReplicationDepth);
        writer.WriteBoolean("is_co_primary", o.IsCoPrimary);
        writer.WriteGoString("gtid_errant", o.GtidErrant);
        writer.WriteNumber("gtid_errant_count", o.GtidErrantCount);
        writer.WriteGoTime("last_checked", o.LastChecked);
        writer.WriteGoTime("last_seen", o.LastSeen);
        writer.WriteGoTime("last_attempted_check", o.LastAttemptedCheck);
        writer.WriteBoolean("last_check_partial_success", o.LastCheckPartialSuccess);
        writer.WriteBoolean("is_disk_stalled", o.IsDiskStalled);
        if (o.SelfReportedType != Topodata.TabletType.Unknown)
        {
            writer.WriteGoString("self_reported_type", SnapshotNames.Of(o.SelfReportedType));
        }
        if (o.ShardPeerHealth.Count != 0)
        {
            writer.WriteStartArray("shard_peer_health");
            foreach (var p in o.ShardPeerHealth)
            {
                writer.WriteStartObject();
                writer.WriteGoString("peer_alias", p.PeerAlias);
                writer.WriteNumber("consecutive_ping_failures", p.ConsecutivePingFailures);
                if (p.LastAttemptedPing is { } attempted)
                {
                    writer.WriteGoTime("last_attempted_ping", attempted);
                }
                if (p.TimeSinceLastAttemptedPing is { } age)
                {
                    writer.WriteGoFloat("time_since_last_attempted_ping_seconds", age.TotalSeconds);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (!o.PrimaryHealth.IsEmpty)
        {
            writer.WriteStartObject("primary_health");
            writer.WriteBoolean("unhealthy", o.PrimaryHealth.Unhealthy);
            writer.WriteStartArray("events");
            foreach (var e in o.PrimaryHealth.Events)
            {
                writer.WriteStartObject();
                writer.WriteGoTime("at", e.At);
                writer.WriteBoolean("success", e.Success);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static IReadOnlyList<ShardPeerReport> ReadShardPeerHealth(JsonObjectReader r)
    {
        if (!r.Element.TryGetProperty("shard_peer_health", out _))
        {
            return [];
        }
        var reports = new List<ShardPeerReport>();
        foreach (var (element, path) in r.Array("shard_peer_health"))
        {
            var p = new JsonObjectReader(element, path);
            reports.Add(new ShardPeerReport(p.RequiredString("peer_alias"), p.Integer("consecutive_ping_failures", 0, long.MaxValue),
                p.Element.TryGetProperty("last_attempted_ping", out _) ? p.Time("last_attempted_ping") : null,
                p.NullableNumber("time_since_last_attempted_ping_seconds", min: 0) is { } seconds ? TimeSpan.FromSeconds(seconds) : null));
        }
        return reports;
    }

    private static PrimaryHealthWindow ReadPrimaryHealth(JsonObjectReader r)
    {
        if (!r.Element.TryGetProperty("primary_health", out _))
        {
            return PrimaryHealthWindow.Empty;
        }
        var health = r.Object("primary_health");
        var events = new List<PrimaryHealthEvent>();
        foreach (var (element, path) in health.Array("events"))
        {
            var e = new JsonObjectReader(element, path);
            events.Add(new PrimaryHealthEvent(e.Time("at", required: true), e.Bool("success")));
        }
        return new PrimaryHealthWindow(events, health.Bool("unhealthy"));
    }

    public static InstanceObservation Read(JsonObjectReader r)
    {
        var coordinates = BinlogCoordinates.Empty;
        if (r.Element.TryGetProperty("self_binlog_coordinates", out _))
        {
            var c = r.Object("self_binlog_coordinates");
            coordinates = new BinlogCoordinates(c.String("log_file"), c.Integer("log_pos", 0, long.MaxValue), (int)c.Integer("type", 0, 1));
        }
        return new InstanceObservation
        {
            Alias = r.RequiredString("alias"),
            Hostname = r.RequiredString("hostname"),
            Port = (int)r.Integer("port", 0, 65535, required: true),
            Cell = r.String("cell"),
            ServerId = (uint)r.Integer("server_id", 0, uint.MaxValue),
            ServerUuid = r.String("server_uuid"),
            Version = r.String("version"),
            VersionComment = r.String("version_comment"),
            MajorVersion = r.String("major_version"),
            CurrentTabletType = r.Choice("current_tablet_type", SnapshotNames.TabletTypes, Topodata.TabletType.Unknown),
            ReadOnly = r.Bool("read_only"),
            SuperReadOnly = r.Bool("super_read_only"),
            LogBinEnabled = r.Bool("log_bin_enabled"),
            LogReplicaUpdates = r.Bool("log_replica_updates"),
            BinlogFormat = r.String("binlog_format"),
            BinlogRowImage = r.String("binlog_row_image"),
            SelfBinlogCoordinates = coordinates,
            ExecutedGtidSet = r.String("executed_gtid_set"),
            GtidPurged = r.String("gtid_purged"),
            GtidBinlogState = r.String("gtid_binlog_state"),
            GtidMode = r.String("gtid_mode"),
            SemiSyncPrimaryEnabled = r.Bool("semi_sync_primary_enabled"),
            SemiSyncReplicaEnabled = r.Bool("semi_sync_replica_enabled"),
            SemiSyncPrimaryStatus = r.Bool("semi_sync_primary_status"),
            SemiSyncReplicaStatus = r.Bool("semi_sync_replica_status"),
            SemiSyncPrimaryClients = (uint)r.Integer("semi_sync_primary_clients", 0, uint.MaxValue),
            SemiSyncPrimaryTimeout = r.UnsignedInteger("semi_sync_primary_timeout"),
            SemiSyncPrimaryWaitForReplicaCount = (uint)r.Integer("semi_sync_primary_wait_for_replica_count", 0, uint.MaxValue),
            SemiSyncBlocked = r.Bool("semi_sync_blocked"),
            SourceHost = r.String("source_host"),
            SourcePort = (int)r.Integer("source_port", 0, 65535),
            SourceUuid = r.String("source_uuid"),
            HasReplicationCredentials = r.Bool("has_replication_credentials"),
            ReplicationIoThreadState = r.Choice("replication_io_thread_state", SnapshotNames.ThreadStates, ReplicationThreadState.NoThread),
            ReplicationSqlThreadState = r.Choice("replication_sql_thread_state", SnapshotNames.ThreadStates, ReplicationThreadState.NoThread),
            ReplicationLagSeconds = r.NullableInteger("replication_lag_seconds", long.MinValue, long.MaxValue),
            SourceSilenceSeconds = r.NullableNumber("source_silence_seconds", min: 0),
            SqlDelay = (uint)r.Integer("sql_delay", 0, uint.MaxValue),
            LastIoError = r.String("last_io_error"),
            LastSqlError = r.String("last_sql_error"),
            UsingAutoPosition = r.Bool("using_auto_position"),
            HasReplicationFilters = r.Bool("has_replication_filters"),
            AllowTls = r.Bool("allow_tls"),
            ReadSourcePosition = r.String("read_source_position"),
            ExecSourcePosition = r.String("exec_source_position"),
            RelayLogPosition = r.String("relay_log_position"),
            ReplicaNetTimeout = (int)r.Integer("replica_net_timeout", int.MinValue, int.MaxValue),
            HeartbeatInterval = r.Number("heartbeat_interval"),
            AncestryUuid = r.String("ancestry_uuid"),
            ReplicationDepth = (int)r.Integer("replication_depth", 0, int.MaxValue),
            IsCoPrimary = r.Bool("is_co_primary"),
            GtidErrant = r.String("gtid_errant"),
            GtidErrantCount = r.Integer("gtid_errant_count", 0, long.MaxValue),
            LastChecked = r.Time("last_checked", required: true),
            LastSeen = r.Time("last_seen", required: true),
            LastAttemptedCheck = r.Time("last_attempted_check", required: true),
            LastCheckPartialSuccess = r.Bool("last_check_partial_success", absent: true),
            IsDiskStalled = r.Bool("is_disk_stalled"),
            PrimaryHealth = ReadPrimaryHealth(r),
            SelfReportedType = r.Choice("self_reported_type", SnapshotNames.TabletTypes, Topodata.TabletType.Unknown),
            ShardPeerHealth = ReadShardPeerHealth(r),
        };
    }
}
