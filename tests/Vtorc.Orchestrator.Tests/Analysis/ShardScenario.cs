using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>
/// Builds one shard's snapshot the way a scenario reads: "a primary, two replicas replicating from it, the primary
/// is unreachable". Every tablet starts healthy (polled now, replicating from the primary, read-only replicas,
/// GTID auto-position, replica_net_timeout = 2 × heartbeat); tests change only what their scenario is about.
/// </summary>
internal sealed class ShardScenario
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset TermOne = Now.AddHours(-2);
    public static readonly DateTimeOffset TermTwo = Now.AddHours(-1);

    public const string PrimaryUuid = "00000000-0000-0000-0000-000000000100";

    private readonly List<Tablet> _tablets = [];
    private readonly Dictionary<string, InstanceObservation> _observations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _awaitingFirstPoll = new(StringComparer.Ordinal);
    private string _policy = DurabilityPolicyNames.None;
    private KeyspaceType _keyspaceType = KeyspaceType.Normal;
    private DateTimeOffset _shardTerm = TermTwo;
    private string _shardPrimary = "";

    public const string Keyspace = "ks";
    public const string Shard = "0";

    private readonly string _keyspace;
    private readonly string _shard;

    /// <param name="keyspace">Another keyspace, for fleets of scenarios (tablet aliases must then differ by uid).</param>
    public ShardScenario(string keyspace = Keyspace, string shard = Shard)
    {
        _keyspace = keyspace;
        _shard = shard;
    }

    public AnalysisSettings Settings { get; set; } = AnalysisSettings.Default;

    public static string AliasOf(uint uid) => $"zone1-{uid:D10}";

    public static string HostOf(uint uid) => $"mysql-{uid}";

    public static string UuidOf(uint uid) => $"00000000-0000-0000-0000-{uid:D12}";

    public ShardScenario WithDurability(string policy)
    {
        _policy = policy;
        return this;
    }

    public ShardScenario WithKeyspaceType(KeyspaceType type)
    {
        _keyspaceType = type;
        return this;
    }

    /// <summary>Shard record's primary term start; <c>default</c> = the shard never had a primary.</summary>
    public ShardScenario WithShardTerm(DateTimeOffset term)
    {
        _shardTerm = term;
        return this;
    }

    /// <summary>A PRIMARY tablet, polled, writable, replicating from nobody.</summary>
    public string Primary(uint uid = 100, DateTimeOffset? term = null)
    {
        var alias = AddTablet(uid, TabletType.Primary, term ?? TermTwo);
        _shardPrimary = alias;
        _observations[alias] = BaseObservation(uid, TabletType.Primary) with { ReadOnly = false };
        return alias;
    }

    /// <summary>A tablet of <paramref name="type"/>, polled, read-only, replicating from <paramref name="source"/> (default: uid 100).</summary>
    public string Replica(uint uid, TabletType type = TabletType.Replica, uint? source = 100)
    {
        var alias = AddTablet(uid, type, null);
        var observation = BaseObservation(uid, type) with { ReadOnly = true };
        if (source is { } from)
        {
            observation = observation with
            {
                SourceHost = HostOf(from),
                SourcePort = 3306,
                SourceUuid = UuidOf(from),
                ReplicationIoThreadState = ReplicationThreadState.Running,
                ReplicationSqlThreadState = ReplicationThreadState.Running,
                ReplicationLagSeconds = 0,
                UsingAutoPosition = true,
                ReplicaNetTimeout = 60,
                HeartbeatInterval = 30,
            };
        }
        _observations[alias] = observation;
        return alias;
    }

    public string Rdonly(uint uid) => Replica(uid, TabletType.Rdonly);

    /// <summary>Changes what the last successful poll of <paramref name="alias"/> saw.</summary>
    public ShardScenario Observe(string alias, Func<InstanceObservation, InstanceObservation> change)
    {
        _observations[alias] = change(_observations[alias]);
        return this;
    }

    /// <summary>The tablet has not been reached since VTOrc started: no observation at all.</summary>
    public ShardScenario NeverPolled(string alias)
    {
        _observations.Remove(alias);
        return this;
    }

    /// <summary>The tablet was discovered at <paramref name="discoveredAt"/> and its first poll has not ended: no observation.</summary>
    public ShardScenario AwaitingFirstPoll(string alias, DateTimeOffset discoveredAt)
    {
        _observations.Remove(alias);
        _awaitingFirstPoll[alias] = discoveredAt;
        return this;
    }

    /// <summary>The last poll failed (after an earlier success): last_checked moves past last_seen.</summary>
    public ShardScenario Unreachable(string alias, bool partialSuccess = false, bool diskStalled = false) =>
        Observe(alias, o => o.WithFailedCheck(o.LastSeen.AddSeconds(10), partialSuccess, diskStalled));

    /// <summary>Gives every tablet record a gRPC port (TabletManager RPCs, e.g. Ping, need one).</summary>
    public ShardScenario WithGrpcPorts(int port = 15999)
    {
        foreach (var tablet in _tablets)
        {
            tablet.PortMap["grpc"] = port;
        }
        return this;
    }

    /// <summary>Replication threads stopped on <paramref name="alias"/>.</summary>
    public ShardScenario StopReplication(string alias) => Observe(alias, o => o with
    {
        ReplicationIoThreadState = ReplicationThreadState.Stopped,
        ReplicationSqlThreadState = ReplicationThreadState.Stopped,
    });

    public ShardSnapshot Build(DurabilityPolicyRegistry? registry = null) => ShardSnapshot.Create(
        new KeyspaceRecord(_keyspace, _keyspaceType, _policy, false),
        new ShardRecord(_keyspace, _shard, _shardPrimary, _shardTerm, false),
        _tablets.Select(t => new TabletRecord(t)),
        new Dictionary<string, InstanceObservation>(_observations, StringComparer.Ordinal),
        registry ?? DurabilityPolicyRegistry.CreateDefault(),
        new Dictionary<string, DateTimeOffset>(_awaitingFirstPoll, StringComparer.Ordinal));

    public ShardAnalysisResult Analyze() => DetectionAnalyzer.Analyze(Build(), Settings, Now);

    /// <summary>The reported row of <paramref name="alias"/>, or null when the tablet is not reported.</summary>
    public DetectionAnalysis? AnalysisOf(string alias) =>
        Analyze().Analyses.SingleOrDefault(a => a.AnalyzedInstanceAlias == alias);

    /// <summary>The codes that matched <paramref name="alias"/>, in reported order (empty when not reported).</summary>
    public IReadOnlyList<string> MatchedCodes(string alias) =>
        AnalysisOf(alias)?.AnalysisMatchedProblems.Select(p => p.Analysis).ToList() ?? [];

    private string AddTablet(uint uid, TabletType type, DateTimeOffset? term)
    {
        var tablet = new Tablet
        {
            Alias = new TabletAlias { Cell = "zone1", Uid = uid },
            Hostname = $"tablet-{uid}",
            Keyspace = _keyspace,
            Shard = _shard,
            Type = type,
            MysqlHostname = HostOf(uid),
            MysqlPort = 3306,
        };
        if (term is { } t)
        {
            tablet.PrimaryTermStartTime = new Vttime.Time { Seconds = t.ToUnixTimeSeconds() };
        }
        _tablets.Add(tablet);
        return AliasOf(uid);
    }

    private static InstanceObservation BaseObservation(uint uid, TabletType type) => new()
    {
        Alias = AliasOf(uid),
        Hostname = HostOf(uid),
        Port = 3306,
        Cell = "zone1",
        ServerId = uid,
        ServerUuid = UuidOf(uid),
        Version = "8.0.40",
        MajorVersion = "8.0",
        CurrentTabletType = type,
        LogBinEnabled = true,
        LogReplicaUpdates = true,
        BinlogFormat = "ROW",
        GtidMode = "ON",
        LastChecked = Now,
        LastSeen = Now,
        LastAttemptedCheck = Now,
        LastCheckPartialSuccess = true,
    };
}
