using Topodata;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// What the last successful <c>FullStatus</c> poll of one tablet said about its MySQL (ReadTopologyInstanceBufferable
/// in go/vt/vtorc/inst/instance_dao.go), plus the poll bookkeeping of the same file. A failed poll keeps the values of
/// the last success and only moves the bookkeeping (<see cref="WithFailedCheck"/>), which is how an unreachable tablet
/// looks to the analysis. No observation at all means the tablet was never reached since start-up ("invalid").
/// Every stored field is a row of <see cref="Fields"/>, which the poll, the snapshot file and the JSON writers read
/// and write it through; the explicit backing fields are there so that only that table can set a field of an
/// observation it is building (an observation is immutable once built).
/// </summary>
public sealed partial record InstanceObservation
{
    public required string Alias { get => _alias; init => _alias = value; }
    private string _alias = "";

    /// <summary>The MySQL host and port of the tablet record at poll time; replication links are matched on them.</summary>
    public required string Hostname { get => _hostname; init => _hostname = value; }
    private string _hostname = "";

    public required int Port { get => _port; init => _port = value; }
    private int _port;

    public string Cell { get => _cell; init => _cell = value; }
    private string _cell = "";

    public uint ServerId { get => _serverId; init => _serverId = value; }
    private uint _serverId;

    public string ServerUuid { get => _serverUuid; init => _serverUuid = value; }
    private string _serverUuid = "";

    public string Version { get => _version; init => _version = value; }
    private string _version = "";

    public string VersionComment { get => _versionComment; init => _versionComment = value; }
    private string _versionComment = "";

    /// <summary>First two dot-separated parts of <see cref="Version"/> (e.g. "8.0").</summary>
    public string MajorVersion { get => _majorVersion; init => _majorVersion = value; }
    private string _majorVersion = "";

    /// <summary>The type the tablet process reports it is running as (may differ from the topo record).</summary>
    public TabletType CurrentTabletType { get => _currentTabletType; init => _currentTabletType = value; }
    private TabletType _currentTabletType;

    public bool ReadOnly { get => _readOnly; init => _readOnly = value; }
    private bool _readOnly;

    public bool SuperReadOnly { get => _superReadOnly; init => _superReadOnly = value; }
    private bool _superReadOnly;

    public bool LogBinEnabled { get => _logBinEnabled; init => _logBinEnabled = value; }
    private bool _logBinEnabled;

    public bool LogReplicaUpdates { get => _logReplicaUpdates; init => _logReplicaUpdates = value; }
    private bool _logReplicaUpdates;

    public string BinlogFormat { get => _binlogFormat; init => _binlogFormat = value; }
    private string _binlogFormat = "";

    public string BinlogRowImage { get => _binlogRowImage; init => _binlogRowImage = value; }
    private string _binlogRowImage = "";

    /// <summary>Own binlog coordinates (<c>primary_status.file_position</c>), only when binary logging is on.</summary>
    public BinlogCoordinates SelfBinlogCoordinates { get => _selfBinlogCoordinates; init => _selfBinlogCoordinates = value; }
    private BinlogCoordinates _selfBinlogCoordinates = BinlogCoordinates.Empty;

    /// <summary>Executed GTID position in Vitess encoding (e.g. <c>MySQL56/&lt;uuid&gt;:1-5</c>).</summary>
    public string ExecutedGtidSet { get => _executedGtidSet; init => _executedGtidSet = value; }
    private string _executedGtidSet = "";

    public string GtidPurged { get => _gtidPurged; init => _gtidPurged = value; }
    private string _gtidPurged = "";

    /// <summary>
    /// MariaDB's <c>gtid_binlog_state</c> (last GTID per domain and server_id), from our FullStatus extension field
    /// 10001; empty for MySQL and for real vttablets. See <see cref="Vtorc.Replication.MariaDbBinlogState"/>.
    /// </summary>
    public string GtidBinlogState { get => _gtidBinlogState; init => _gtidBinlogState = value; }
    private string _gtidBinlogState = "";

    public string GtidMode { get => _gtidMode; init => _gtidMode = value; }
    private string _gtidMode = "";

    public bool SemiSyncPrimaryEnabled { get => _semiSyncPrimaryEnabled; init => _semiSyncPrimaryEnabled = value; }
    private bool _semiSyncPrimaryEnabled;

    public bool SemiSyncReplicaEnabled { get => _semiSyncReplicaEnabled; init => _semiSyncReplicaEnabled = value; }
    private bool _semiSyncReplicaEnabled;

    public bool SemiSyncPrimaryStatus { get => _semiSyncPrimaryStatus; init => _semiSyncPrimaryStatus = value; }
    private bool _semiSyncPrimaryStatus;

    public bool SemiSyncReplicaStatus { get => _semiSyncReplicaStatus; init => _semiSyncReplicaStatus = value; }
    private bool _semiSyncReplicaStatus;

    public uint SemiSyncPrimaryClients { get => _semiSyncPrimaryClients; init => _semiSyncPrimaryClients = value; }
    private uint _semiSyncPrimaryClients;

    public ulong SemiSyncPrimaryTimeout { get => _semiSyncPrimaryTimeout; init => _semiSyncPrimaryTimeout = value; }
    private ulong _semiSyncPrimaryTimeout;

    public uint SemiSyncPrimaryWaitForReplicaCount { get => _semiSyncPrimaryWaitForReplicaCount; init => _semiSyncPrimaryWaitForReplicaCount = value; }
    private uint _semiSyncPrimaryWaitForReplicaCount;

    /// <summary>The tablet's semi-sync monitor says writes are blocked waiting for acks.</summary>
    public bool SemiSyncBlocked { get => _semiSyncBlocked; init => _semiSyncBlocked = value; }
    private bool _semiSyncBlocked;

    public string SourceHost { get => _sourceHost; init => _sourceHost = value; }
    private string _sourceHost = "";

    public int SourcePort { get => _sourcePort; init => _sourcePort = value; }
    private int _sourcePort;

    public string SourceUuid { get => _sourceUuid; init => _sourceUuid = value; }
    private string _sourceUuid = "";

    public bool HasReplicationCredentials { get => _hasReplicationCredentials; init => _hasReplicationCredentials = value; }
    private bool _hasReplicationCredentials;

    public ReplicationThreadState ReplicationIoThreadState { get => _replicationIoThreadState; init => _replicationIoThreadState = value; }
    private ReplicationThreadState _replicationIoThreadState = ReplicationThreadState.NoThread;

    public ReplicationThreadState ReplicationSqlThreadState { get => _replicationSqlThreadState; init => _replicationSqlThreadState = value; }
    private ReplicationThreadState _replicationSqlThreadState = ReplicationThreadState.NoThread;

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
    public double? SourceSilenceSeconds { get => _sourceSilenceSeconds; init => _sourceSilenceSeconds = value; }
    private double? _sourceSilenceSeconds;

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
    public long? ReplicationLagSeconds { get => _replicationLagSeconds; init => _replicationLagSeconds = value; }
    private long? _replicationLagSeconds;

    public uint SqlDelay { get => _sqlDelay; init => _sqlDelay = value; }
    private uint _sqlDelay;

    public string LastIoError { get => _lastIoError; init => _lastIoError = value; }
    private string _lastIoError = "";

    public string LastSqlError { get => _lastSqlError; init => _lastSqlError = value; }
    private string _lastSqlError = "";

    /// <summary>Replication uses GTID auto-positioning ("oracle_gtid" in VTOrc).</summary>
    public bool UsingAutoPosition { get => _usingAutoPosition; init => _usingAutoPosition = value; }
    private bool _usingAutoPosition;

    public bool HasReplicationFilters { get => _hasReplicationFilters; init => _hasReplicationFilters = value; }
    private bool _hasReplicationFilters;

    public bool AllowTls { get => _allowTls; init => _allowTls = value; }
    private bool _allowTls;

    /// <summary>Raw relay-log/exec positions as reported, for the API.</summary>
    public string ReadSourcePosition { get => _readSourcePosition; init => _readSourcePosition = value; }
    private string _readSourcePosition = "";

    public string ExecSourcePosition { get => _execSourcePosition; init => _execSourcePosition = value; }
    private string _execSourcePosition = "";

    public string RelayLogPosition { get => _relayLogPosition; init => _relayLogPosition = value; }
    private string _relayLogPosition = "";

    public int ReplicaNetTimeout { get => _replicaNetTimeout; init => _replicaNetTimeout = value; }
    private int _replicaNetTimeout;

    public double HeartbeatInterval { get => _heartbeatInterval; init => _heartbeatInterval = value; }
    private double _heartbeatInterval;

    // Computed from the shard's other observations at poll time (ErrantGtidDetector).
    public string AncestryUuid { get => _ancestryUuid; init => _ancestryUuid = value; }
    private string _ancestryUuid = "";

    public int ReplicationDepth { get => _replicationDepth; init => _replicationDepth = value; }
    private int _replicationDepth;

    public bool IsCoPrimary { get => _isCoPrimary; init => _isCoPrimary = value; }
    private bool _isCoPrimary;

    /// <summary>Errant GTID set text (empty when none); detectErrantGTIDs in
    /// go/vt/vtorc/inst/instance_dao.go.</summary>
    public string GtidErrant { get => _gtidErrant; init => _gtidErrant = value; }
    private string _gtidErrant = "";

    public long GtidErrantCount { get => _gtidErrantCount; init => _gtidErrantCount = value; }
    private long _gtidErrantCount;

    // Poll bookkeeping.
    public required DateTimeOffset LastChecked { get => _lastChecked; init => _lastChecked = value; }
    private DateTimeOffset _lastChecked;

    public required DateTimeOffset LastSeen { get => _lastSeen; init => _lastSeen = value; }
    private DateTimeOffset _lastSeen;

    public required DateTimeOffset LastAttemptedCheck { get => _lastAttemptedCheck; init => _lastAttemptedCheck = value; }
    private DateTimeOffset _lastAttemptedCheck;

    public bool LastCheckPartialSuccess { get => _lastCheckPartialSuccess; init => _lastCheckPartialSuccess = value; }
    private bool _lastCheckPartialSuccess = true;

    public bool IsDiskStalled { get => _isDiskStalled; init => _isDiskStalled = value; }
    private bool _isDiskStalled;

    /// <summary>
    /// The recent polls of this tablet while it was recorded as PRIMARY (IncapacitatedPrimary); kept across polls, empty
    /// for other tablets.
    /// </summary>
    public PrimaryHealthWindow PrimaryHealth { get => _primaryHealth; init => _primaryHealth = value; }
    private PrimaryHealthWindow _primaryHealth = PrimaryHealthWindow.Empty;

    /// <summary>The type the tablet reports for itself (FullStatus field 25, Vitess main); Unknown when not reported.</summary>
    public TabletType SelfReportedType { get => _selfReportedType; init => _selfReportedType = value; }
    private TabletType _selfReportedType;

    /// <summary>The tablet's shard-peer monitor's reports (FullStatus field 26, Vitess main); empty when it runs none.</summary>
    public IReadOnlyList<ShardPeerReport> ShardPeerHealth { get => _shardPeerHealth; init => _shardPeerHealth = value; }
    private IReadOnlyList<ShardPeerReport> _shardPeerHealth = [];

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
        var observation = new InstanceObservation
        {
            Alias = tablet.Alias?.ToText() ?? "",
            Hostname = tablet.MysqlHostname,
            Port = tablet.MysqlPort,
            Cell = tablet.Alias?.Cell ?? "",
            LastChecked = now,
            LastSeen = now,
            LastAttemptedCheck = now,
        };
        foreach (var field in Fields.ReadFromFullStatus)
        {
            field.CopyFromFullStatus(status, observation);
        }
        return observation;
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
