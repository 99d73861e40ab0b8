using Topodata;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// What the last successful <c>FullStatus</c> poll of one tablet said about its MySQL (ReadTopologyInstanceBufferable
/// in go/vt/vtorc/inst/instance_dao.go), plus the poll bookkeeping of the same file. A failed poll keeps the values of
/// the last success and only moves the bookkeeping (<see cref="WithFailedCheck"/>), which is how an unreachable tablet
/// looks to the analysis. No observation at all means the tablet was never reached since start-up ("invalid").
/// </summary>
public sealed record InstanceObservation
{
    public required string Alias { get; init; }

    /// <summary>The MySQL host and port of the tablet record at poll time; replication links are matched on them.</summary>
    public required string Hostname { get; init; }

    public required int Port { get; init; }

    public string Cell { get; init; } = "";

    public uint ServerId { get; init; }

    public string ServerUuid { get; init; } = "";

    public string Version { get; init; } = "";

    public string VersionComment { get; init; } = "";

    /// <summary>First two dot-separated parts of <see cref="Version"/> (e.g. "8.0").</summary>
    public string MajorVersion { get; init; } = "";

    /// <summary>The type the tablet process reports it is running as (may differ from the topo record).</summary>
    public TabletType CurrentTabletType { get; init; }

    public bool ReadOnly { get; init; }

    public bool SuperReadOnly { get; init; }

    public bool LogBinEnabled { get; init; }

    public bool LogReplicaUpdates { get; init; }

    public string BinlogFormat { get; init; } = "";

    public string BinlogRowImage { get; init; } = "";

    /// <summary>Own binlog coordinates (<c>primary_status.file_position</c>), only when binary logging is on.</summary>
    public BinlogCoordinates SelfBinlogCoordinates { get; init; } = BinlogCoordinates.Empty;

    /// <summary>Executed GTID position in Vitess encoding (e.g. <c>MySQL56/&lt;uuid&gt;:1-5</c>).</summary>
    public string ExecutedGtidSet { get; init; } = "";

    public string GtidPurged { get; init; } = "";

    /// <summary>
    /// MariaDB's <c>gtid_binlog_state</c> (last GTID per domain and server_id), from our FullStatus extension field
    /// 10001; empty for MySQL and for real vttablets. See <see cref="Vtorc.Replication.MariaDbBinlogState"/>.
    /// </summary>
    public string GtidBinlogState { get; init; } = "";

    public string GtidMode { get; init; } = "";

    public bool SemiSyncPrimaryEnabled { get; init; }

    public bool SemiSyncReplicaEnabled { get; init; }

    public bool SemiSyncPrimaryStatus { get; init; }

    public bool SemiSyncReplicaStatus { get; init; }

    public uint SemiSyncPrimaryClients { get; init; }

    public ulong SemiSyncPrimaryTimeout { get; init; }

    public uint SemiSyncPrimaryWaitForReplicaCount { get; init; }

    /// <summary>The tablet's semi-sync monitor says writes are blocked waiting for acks.</summary>
    public bool SemiSyncBlocked { get; init; }

    public string SourceHost { get; init; } = "";

    public int SourcePort { get; init; }

    public string SourceUuid { get; init; } = "";

    public bool HasReplicationCredentials { get; init; }

    public ReplicationThreadState ReplicationIoThreadState { get; init; } = ReplicationThreadState.NoThread;

    public ReplicationThreadState ReplicationSqlThreadState { get; init; } = ReplicationThreadState.NoThread;

    public bool ReplicationIoThreadRunning => ReplicationIoThreadState == ReplicationThreadState.Running;

    public bool ReplicationSqlThreadRunning => ReplicationSqlThreadState == ReplicationThreadState.Running;

    /// <summary>
    /// How many heartbeat intervals a replica may hear nothing from its source before it counts as not replicating
    /// (docs/reliability.md, "Silence is not health"): one late heartbeat is noise, three missed ones are not.
    /// </summary>
    public const int SilentAfterHeartbeats = 3;

    /// <summary>
    /// Seconds the replica has received nothing (no event, no heartbeat) from its source, as its agent measured
    /// (FullStatus field 10002, our extension); null when unknown (real vttablets, MySQL, IO thread not running).
    /// </summary>
    public double? SourceSilenceSeconds { get; init; }

    /// <summary>
    /// The replica has heard nothing from its source for <see cref="SilentAfterHeartbeats"/> heartbeat intervals.
    /// Unknown silence or heartbeats switched off mean no information, never "silent".
    /// </summary>
    public bool HearsNothingFromSource =>
        SourceSilenceSeconds is { } silence && HeartbeatInterval > 0 && silence >= SilentAfterHeartbeats * HeartbeatInterval;

    /// <summary>
    /// Both replication threads run and the source is not silent: what VTOrc counts as a replicating replica of its
    /// source, plus the silence rule (docs/vitess-compatibility.md).
    /// </summary>
    public bool IsReplicatingFromSource => ReplicationIoThreadRunning && ReplicationSqlThreadRunning && !HearsNothingFromSource;

    /// <summary>Seconds behind the source; null when unknown or not a replica.</summary>
    public long? ReplicationLagSeconds { get; init; }

    public uint SqlDelay { get; init; }

    public string LastIoError { get; init; } = "";

    public string LastSqlError { get; init; } = "";

    /// <summary>Replication uses GTID auto-positioning ("oracle_gtid" in VTOrc).</summary>
    public bool UsingAutoPosition { get; init; }

    public bool HasReplicationFilters { get; init; }

    public bool AllowTls { get; init; }

    /// <summary>Raw relay-log/exec positions as reported, for the API.</summary>
    public string ReadSourcePosition { get; init; } = "";

    public string ExecSourcePosition { get; init; } = "";

    public string RelayLogPosition { get; init; } = "";

    public int ReplicaNetTimeout { get; init; }

    public double HeartbeatInterval { get; init; }

    // Computed from the shard's other observations at poll time (ErrantGtidDetector).
    public string AncestryUuid { get; init; } = "";

    public int ReplicationDepth { get; init; }

    public bool IsCoPrimary { get; init; }

    /// <summary>Errant GTID set text (empty when none); detectErrantGTIDs in
    /// go/vt/vtorc/inst/instance_dao.go.</summary>
    public string GtidErrant { get; init; } = "";

    public long GtidErrantCount { get; init; }

    // Poll bookkeeping.
    public required DateTimeOffset LastChecked { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    public required DateTimeOffset LastAttemptedCheck { get; init; }

    public bool LastCheckPartialSuccess { get; init; } = true;

    public bool IsDiskStalled { get; init; }

    /// <summary>
    /// The recent polls of this tablet while it was recorded as PRIMARY (IncapacitatedPrimary); kept across polls, empty
    /// for other tablets.
    /// </summary>
    public PrimaryHealthWindow PrimaryHealth { get; init; } = PrimaryHealthWindow.Empty;

    /// <summary>The type the tablet reports for itself (FullStatus field 25, Vitess main); Unknown when not reported.</summary>
    public TabletType SelfReportedType { get; init; }

    /// <summary>The tablet's shard-peer monitor's reports (FullStatus field 26, Vitess main); empty when it runs none.</summary>
    public IReadOnlyList<ShardPeerReport> ShardPeerHealth { get; init; } = [];

    /// <summary>Not replicating from anyone: no source host ("" or "_"), port 0, or a "//" pseudo-host.</summary>
    public bool ReplicatesFromNobody =>
        SourceHost.Length == 0 || SourceHost == "_" || SourcePort == 0 || SourceHost.StartsWith("//", StringComparison.Ordinal);

    /// <summary>Replica-side "valid" test: the last poll succeeded (<c>last_checked &lt;= last_seen</c>).</summary>
    public bool LastCheckSucceeded => LastChecked <= LastSeen;

    /// <summary>
    /// Analysis-side validity: the last poll succeeded and no poll has been hanging for more than
    /// <paramref name="pollSeconds"/> since the last success.
    /// </summary>
    public bool IsLastCheckValid(long pollSeconds) =>
        LastChecked <= LastSeen && LastAttemptedCheck <= LastSeen.AddSeconds(pollSeconds);

    /// <summary>The failure path of a poll: <c>last_seen</c> stays, everything observed stays.</summary>
    public InstanceObservation WithFailedCheck(DateTimeOffset now, bool partialSuccess, bool diskStalled) =>
        this with { LastChecked = now, LastCheckPartialSuccess = partialSuccess, IsDiskStalled = diskStalled };

    /// <summary>The 1-second watchdog of a poll that has not finished yet.</summary>
    public InstanceObservation WithAttemptedCheck(DateTimeOffset now) => this with { LastAttemptedCheck = now };

    /// <summary>
    /// The success path of a poll: every FullStatus field VTOrc uses, with all three poll timestamps set to
    /// <paramref name="now"/>. Ancestry and errant GTIDs are filled afterwards by <see cref="ErrantGtidDetector"/>.
    /// </summary>
    public static InstanceObservation FromFullStatus(Replicationdata.FullStatus status, Tablet tablet, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(tablet);
        var replication = status.ReplicationStatus;
        long? lag = null;
        if (replication is not null && !replication.ReplicationLagUnknown)
        {
            lag = replication.ReplicationLagSeconds;
        }
        return new InstanceObservation
        {
            Alias = tablet.Alias?.ToText() ?? "",
            Hostname = tablet.MysqlHostname,
            Port = tablet.MysqlPort,
            Cell = tablet.Alias?.Cell ?? "",
            ServerId = status.ServerId,
            ServerUuid = status.ServerUuid,
            Version = status.Version,
            VersionComment = status.VersionComment,
            MajorVersion = MajorVersionOf(status.Version),
            CurrentTabletType = status.TabletType,
            ReadOnly = status.ReadOnly,
            SuperReadOnly = status.SuperReadOnly,
            LogBinEnabled = status.LogBinEnabled,
            LogReplicaUpdates = status.LogReplicaUpdates,
            BinlogFormat = status.BinlogFormat,
            BinlogRowImage = status.BinlogRowImage,
            SelfBinlogCoordinates = status.LogBinEnabled
                ? BinlogCoordinates.FromFilePosition(status.PrimaryStatus?.FilePosition)
                : BinlogCoordinates.Empty,
            ExecutedGtidSet = status.PrimaryStatus?.Position ?? "",
            GtidPurged = status.GtidPurged,
            GtidBinlogState = status.GtidBinlogState,
            GtidMode = status.GtidMode,
            SemiSyncPrimaryEnabled = status.SemiSyncPrimaryEnabled,
            SemiSyncReplicaEnabled = status.SemiSyncReplicaEnabled,
            SemiSyncPrimaryStatus = status.SemiSyncPrimaryStatus,
            SemiSyncReplicaStatus = status.SemiSyncReplicaStatus,
            SemiSyncPrimaryClients = status.SemiSyncPrimaryClients,
            SemiSyncPrimaryTimeout = status.SemiSyncPrimaryTimeout,
            SemiSyncPrimaryWaitForReplicaCount = status.SemiSyncWaitForReplicaCount,
            SemiSyncBlocked = status.SemiSyncBlocked,
            SourceHost = replication?.SourceHost ?? "",
            SourcePort = replication?.SourcePort ?? 0,
            SourceUuid = replication?.SourceUuid ?? "",
            HasReplicationCredentials = !string.IsNullOrEmpty(replication?.SourceUser),
            ReplicationIoThreadState = replication is null ? ReplicationThreadState.NoThread : ReplicationThreadStates.FromWire(replication.IoState),
            ReplicationSqlThreadState = replication is null ? ReplicationThreadState.NoThread : ReplicationThreadStates.FromWire(replication.SqlState),
            ReplicationLagSeconds = lag,
            SqlDelay = replication?.SqlDelay ?? 0,
            LastIoError = replication?.LastIoError ?? "",
            LastSqlError = replication?.LastSqlError ?? "",
            UsingAutoPosition = replication?.AutoPosition ?? false,
            HasReplicationFilters = replication?.HasReplicationFilters ?? false,
            AllowTls = replication?.SslAllowed ?? false,
            ReadSourcePosition = replication?.RelayLogSourceBinlogEquivalentPosition ?? "",
            ExecSourcePosition = replication?.FilePosition ?? "",
            RelayLogPosition = replication?.RelayLogFilePosition ?? "",
            ReplicaNetTimeout = status.ReplicationConfiguration?.ReplicaNetTimeout ?? 0,
            HeartbeatInterval = status.ReplicationConfiguration?.HeartbeatInterval ?? 0,
            SourceSilenceSeconds = status.HasSourceSilenceSeconds && double.IsFinite(status.SourceSilenceSeconds) && status.SourceSilenceSeconds >= 0
                ? status.SourceSilenceSeconds
                : null,
            LastChecked = now,
            LastSeen = now,
            LastAttemptedCheck = now,
            LastCheckPartialSuccess = true,
            IsDiskStalled = false,
            SelfReportedType = status.TabletType,
            ShardPeerHealth = [.. status.ShardPeerHealth.Where(p => p.TabletAlias is not null).Select(p => new ShardPeerReport(
                p.TabletAlias?.ToText() ?? "", p.ConsecutivePingFailures,
                p.LastAttemptedPing is null ? null : VtTime.ToDateTimeOffset(p.LastAttemptedPing),
                p.TimeSinceLastAttemptedPing is null ? null
                    : TimeSpan.FromSeconds(p.TimeSinceLastAttemptedPing.Seconds) + TimeSpan.FromTicks(p.TimeSinceLastAttemptedPing.Nanos / 100)))],
        };
    }

    private static string MajorVersionOf(string version)
    {
        int first = version.IndexOf('.');
        if (first < 0)
        {
            return version;
        }
        int second = version.IndexOf('.', first + 1);
        return second < 0 ? version : version[..second];
    }
}
