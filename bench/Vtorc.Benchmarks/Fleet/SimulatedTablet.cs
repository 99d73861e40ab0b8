using System.Globalization;
using Replicationdata;
using Topodata;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// A LOAD GENERATOR's tablet, not a model to test behaviour against: the replication state one MariaDB server with our
/// agent would report (GTID domain 0, server_id = tablet uid, read_only, IO/SQL threads, source host and port,
/// semi-sync flags, tablet type and primary term), changed by the simulated RPCs and by the fleet's replication tick
/// (<see cref="SimulatedFleet"/>): a writable primary writes, a replica whose threads run copies its source's binary log
/// state one tick late. All fields are guarded by the tablet's own lock.
/// </summary>
internal sealed class SimulatedTablet
{
    /// <summary>What a MariaDB 10.11 replica shows when its source's host refuses connections (errno 2003).</summary>
    private const string SourceRefusedError =
        "error reconnecting to master 'vt_repl@{0}:{1}' - retry-time: 10  maximum-retries: 100000  message: Can't connect to server on '{0}' (111 \"Connection refused\")";

    private const string Version = "10.11.19-MariaDB-0+deb12u1-log";

    /// <summary>Bytes a simulated transaction adds to a binary log.</summary>
    private const long EventBytes = 350;

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, long> _binlogState = [];
    private uint _lastServerId;
    private long _lastSequence;
    private long _ownBinlogOffset = 4;
    private long _sourceOffset;
    private bool _replicationConfigured;
    private SimulatedTablet? _source;
    private bool _ioRunning;
    private bool _sqlRunning;
    private int _journalRows;

    public SimulatedTablet(int index, ShardPlace shard, string cell)
    {
        Index = index;
        Shard = shard;
        Alias = new TabletAlias { Cell = cell, Uid = (uint)(1000 + index) };
        AliasText = $"{cell}-{Alias.Uid.ToString("0000000000", CultureInfo.InvariantCulture)}";
        Address = FleetLayout.Address(index);
        ServerId = Alias.Uid;
    }

    public int Index { get; }

    public ShardPlace Shard { get; }

    public TabletAlias Alias { get; }

    public string AliasText { get; }

    public string Address { get; }

    public uint ServerId { get; }

    /// <summary>Dead: every connection to its address is closed at once and every RPC fails UNAVAILABLE.</summary>
    public volatile bool Dead;

    /// <summary>Until this <see cref="Environment.TickCount64"/>, RPCs other than FullStatus and Ping do not answer.</summary>
    public long HungUntil;

    public TabletType Type { get; private set; }

    public bool ReadOnly { get; private set; }

    public bool SemiSyncPrimary { get; private set; }

    public bool SemiSyncReplica { get; private set; }

    public SimulatedTablet? Source
    {
        get
        {
            lock (_lock)
            {
                return _replicationConfigured ? _source : null;
            }
        }
    }

    /// <summary>The IO thread runs and its source is alive: what a semi-sync primary counts as a client.</summary>
    public bool ConnectedTo(SimulatedTablet primary)
    {
        lock (_lock)
        {
            return _replicationConfigured && _source == primary && _ioRunning && !primary.Dead;
        }
    }

    // ---- set-up ----

    public void StartAsPrimary(bool semiSync)
    {
        lock (_lock)
        {
            Type = TabletType.Primary;
            ReadOnly = false;
            SemiSyncPrimary = semiSync;
            SemiSyncReplica = semiSync;
            _replicationConfigured = false;
            _lastServerId = ServerId;
            _lastSequence = 1;
            _binlogState[ServerId] = 1;
            _ownBinlogOffset += EventBytes;
        }
    }

    public void StartAsReplica(SimulatedTablet primary, bool semiSync)
    {
        lock (_lock)
        {
            Type = TabletType.Replica;
            ReadOnly = true;
            SemiSyncReplica = semiSync;
            _replicationConfigured = true;
            _source = primary;
            _ioRunning = _sqlRunning = true;
        }
        Follow();
    }

    // ---- the replication tick ----

    /// <summary>One simulated client transaction, on a writable primary only.</summary>
    public void WriteOne()
    {
        lock (_lock)
        {
            if (Type != TabletType.Primary || ReadOnly || Dead)
            {
                return;
            }
            _lastServerId = ServerId;
            _lastSequence++;
            _binlogState[ServerId] = _lastSequence;
            _ownBinlogOffset += EventBytes;
        }
    }

    /// <summary>A replica with both threads running copies what its (live) source has.</summary>
    public void Follow()
    {
        SimulatedTablet? source;
        lock (_lock)
        {
            source = _replicationConfigured && _ioRunning && _sqlRunning ? _source : null;
        }
        if (source is null || source.Dead || Dead)
        {
            return;
        }
        var (state, lastServerId, lastSequence, offset) = source.BinlogSnapshot();
        lock (_lock)
        {
            if (_source != source || !_ioRunning || !_sqlRunning || lastSequence <= _lastSequence && _lastServerId == lastServerId)
            {
                return;
            }
            long added = Math.Max(0, lastSequence - _lastSequence);
            foreach (var (serverId, sequence) in state)
            {
                _binlogState[serverId] = sequence;
            }
            _lastServerId = lastServerId;
            _lastSequence = lastSequence;
            _sourceOffset = offset;
            _ownBinlogOffset += added * EventBytes;
        }
    }

    private (KeyValuePair<uint, long>[] State, uint LastServerId, long LastSequence, long Offset) BinlogSnapshot()
    {
        lock (_lock)
        {
            return ([.. _binlogState], _lastServerId, _lastSequence, _ownBinlogOffset);
        }
    }

    // ---- what the RPCs read ----

    public string Position()
    {
        lock (_lock)
        {
            return PositionLocked();
        }
    }

    private string PositionLocked() =>
        string.Create(CultureInfo.InvariantCulture, $"MariaDB/0-{_lastServerId}-{_lastSequence}");

    private string BinlogStateLocked() =>
        string.Join(',', _binlogState.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"0-{p.Key}-{p.Value}")));

    private string OwnFilePositionLocked() => string.Create(CultureInfo.InvariantCulture, $"FilePos/mysql-bin.000001:{_ownBinlogOffset}");

    public PrimaryStatus PrimaryStatus()
    {
        lock (_lock)
        {
            return new PrimaryStatus { Position = PositionLocked(), FilePosition = OwnFilePositionLocked() };
        }
    }

    public bool IsReplicating
    {
        get
        {
            lock (_lock)
            {
                return _replicationConfigured;
            }
        }
    }

    /// <summary>SHOW SLAVE STATUS as the agent turns it into <see cref="Status"/>; null when no replication is configured.</summary>
    public Status? ReplicationStatus()
    {
        lock (_lock)
        {
            return ReplicationStatusLocked();
        }
    }

    private Status? ReplicationStatusLocked()
    {
        if (!_replicationConfigured || _source is not { } source)
        {
            return null;
        }
        bool sourceDead = source.Dead;
        int io = !_ioRunning ? 1 : sourceDead ? 2 : 3;
        var sourceFile = string.Create(CultureInfo.InvariantCulture, $"FilePos/mysql-bin.000001:{_sourceOffset}");
        var status = new Status
        {
            Position = PositionLocked(),
            RelayLogPosition = "",
            FilePosition = sourceFile,
            RelayLogSourceBinlogEquivalentPosition = sourceFile,
            RelayLogFilePosition = string.Create(CultureInfo.InvariantCulture, $"FilePos/relay-bin.000002:{_sourceOffset + 700}"),
            ReplicationLagSeconds = 0,
            ReplicationLagUnknown = io != 3 || !_sqlRunning,
            SourceHost = source.Address,
            SourcePort = FleetLayout.FakeMySqlPort,
            ConnectRetry = 10,
            SourceServerId = source.ServerId,
            SourceUuid = "",
            SourceUser = "vt_repl",
            IoState = io,
            SqlState = _sqlRunning ? 3 : 1,
            LastIoError = io == 2 ? string.Format(CultureInfo.InvariantCulture, SourceRefusedError, source.Address, FleetLayout.FakeMySqlPort) : "",
            LastSqlError = "",
            UsingGtid = true,
            SslAllowed = false,
            SemiSyncPrimaryEnabled = SemiSyncPrimary,
            SemiSyncReplicaEnabled = SemiSyncReplica,
            SemiSyncPrimaryStatus = SemiSyncPrimary,
            SemiSyncReplicaStatus = SemiSyncReplica && io == 3,
            GtidBinlogState = BinlogStateLocked(),
        };
        return status;
    }

    /// <summary>FullStatus as our agent answers it for a healthy MariaDB 10.11 (src/Vtorc.Agent/Flavors/MariaDbReplicationFlavor.cs).</summary>
    public FullStatus FullStatus(uint semiSyncClients)
    {
        lock (_lock)
        {
            var replication = ReplicationStatusLocked();
            var full = new FullStatus
            {
                ServerId = ServerId,
                ServerUuid = "",
                GtidPurged = "",
                GtidMode = "",
                Version = Version,
                VersionComment = "Debian 12",
                ReadOnly = ReadOnly,
                SuperReadOnly = false,
                BinlogFormat = "ROW",
                BinlogRowImage = "FULL",
                LogBinEnabled = true,
                LogReplicaUpdates = true,
                GtidBinlogState = BinlogStateLocked(),
                ReplicationConfiguration = new Configuration { HeartbeatInterval = 2, ReplicaNetTimeout = 4 },
                PrimaryStatus = new PrimaryStatus { Position = PositionLocked(), FilePosition = OwnFilePositionLocked() },
                TabletType = Type,
                SemiSyncPrimaryEnabled = SemiSyncPrimary,
                SemiSyncReplicaEnabled = SemiSyncReplica,
                SemiSyncPrimaryStatus = SemiSyncPrimary,
                SemiSyncReplicaStatus = replication is { IoState: 3 } && SemiSyncReplica,
                SemiSyncPrimaryClients = SemiSyncPrimary ? semiSyncClients : 0,
                SemiSyncPrimaryTimeout = SemiSyncPrimary ? 1_000_000_000_000_000_000UL : 10_000,
                SemiSyncWaitForReplicaCount = 1,
                SemiSyncBlocked = false,
            };
            if (replication is not null)
            {
                full.ReplicationStatus = replication;
                if (replication.IoState == 3)
                {
                    full.SourceSilenceSeconds = 0;
                }
            }
            return full;
        }
    }

    public int JournalRows
    {
        get
        {
            lock (_lock)
            {
                return _journalRows;
            }
        }
    }

    // ---- what the RPCs change ----

    public void AddJournalRow()
    {
        lock (_lock)
        {
            _journalRows++;
        }
    }

    public void SetThreads(bool? io, bool? sql)
    {
        lock (_lock)
        {
            if (!_replicationConfigured)
            {
                return;
            }
            _ioRunning = io ?? _ioRunning;
            _sqlRunning = sql ?? _sqlRunning;
        }
    }

    /// <summary>Semi-sync for a tablet of <paramref name="type"/> (as the agent's FixSemiSync: a primary enables both sides).</summary>
    public void FixSemiSync(TabletType type, bool semiSync)
    {
        lock (_lock)
        {
            SemiSyncPrimary = type == TabletType.Primary && semiSync;
            SemiSyncReplica = semiSync;
        }
    }

    public void SetReadOnly(bool readOnly)
    {
        lock (_lock)
        {
            ReadOnly = readOnly;
        }
    }

    public void SetType(TabletType type)
    {
        lock (_lock)
        {
            Type = type;
        }
    }

    /// <summary>RESET SLAVE ALL: no replication configured any more.</summary>
    public void ForgetSource()
    {
        lock (_lock)
        {
            _replicationConfigured = false;
            _source = null;
            _ioRunning = _sqlRunning = false;
        }
    }

    /// <summary>CHANGE MASTER TO the parent, then START SLAVE when <paramref name="start"/>.</summary>
    public void SetSource(SimulatedTablet parent, bool start)
    {
        lock (_lock)
        {
            _replicationConfigured = true;
            if (_source != parent)
            {
                _sourceOffset = 4;
            }
            _source = parent;
            _ioRunning = _sqlRunning = start;
        }
    }

    /// <summary>Whether replication runs (either thread), for SetReplicationSource's "was replicating".</summary>
    public bool ReplicationRunning
    {
        get
        {
            lock (_lock)
            {
                return _replicationConfigured && (_ioRunning || _sqlRunning);
            }
        }
    }
}
