using BenchmarkDotNet.Attributes;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Benchmarks.Orchestrator;

/// <summary>
/// One full detection pass (every shard analysed once) over synthetic shards of 4 tablets — a primary, two
/// replicas and an rdonly under <c>semi_sync</c> — built deterministically. A few shards carry problems: an
/// unreachable primary (every 50th), a stopped replica (every 37th), a writable replica (every 101st), an errant
/// GTID (every 211th), a never-polled replica (every 307th). The design target is ≤ 20 ms for 10,000 tablets.
/// </summary>
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    private ShardSnapshot[] _snapshots = [];
    private readonly AnalysisSettings _settings = AnalysisSettings.Default;

    [Params(100, 1000, 10000)]
    public int Tablets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var registry = DurabilityPolicyRegistry.CreateDefault();
        int shards = Tablets / 4;
        _snapshots = new ShardSnapshot[shards];
        uint uid = 100;
        for (int s = 0; s < shards; s++)
        {
            string keyspace = $"ks{s % 10}";
            string shard = $"s{s / 10}";
            var tablets = new List<TabletRecord>(4);
            var observations = new Dictionary<string, InstanceObservation>(4, StringComparer.Ordinal);
            uint primaryUid = uid;
            for (int t = 0; t < 4; t++, uid++)
            {
                var type = t switch { 0 => TabletType.Primary, 3 => TabletType.Rdonly, _ => TabletType.Replica };
                var tablet = new Tablet
                {
                    Alias = new TabletAlias { Cell = t == 2 ? "zone2" : "zone1", Uid = uid },
                    Keyspace = keyspace,
                    Shard = shard,
                    Type = type,
                    MysqlHostname = $"db-{uid}",
                    MysqlPort = 3306,
                    PrimaryTermStartTime = type == TabletType.Primary ? new Vttime.Time { Seconds = Now.AddHours(-1).ToUnixTimeSeconds() } : null,
                };
                var record = new TabletRecord(tablet);
                tablets.Add(record);
                observations[record.Alias] = Healthy(record, primaryUid);
            }
            Sprinkle(s, tablets, observations);
            _snapshots[s] = ShardSnapshot.Create(
                new KeyspaceRecord(keyspace, KeyspaceType.Normal, DurabilityPolicyNames.SemiSync, false),
                new ShardRecord(keyspace, shard, tablets[0].Alias, Now.AddHours(-1), false),
                tablets, observations, registry);
        }
    }

    [Benchmark]
    public int FullPass()
    {
        int reported = 0;
        foreach (var snapshot in _snapshots)
        {
            reported += DetectionAnalyzer.Analyze(snapshot, _settings, Now).Analyses.Count;
        }
        return reported;
    }

    private static InstanceObservation Healthy(TabletRecord tablet, uint primaryUid)
    {
        bool isPrimary = tablet.Type == TabletType.Primary;
        var observation = new InstanceObservation
        {
            Alias = tablet.Alias,
            Hostname = tablet.MysqlHostname,
            Port = tablet.MysqlPort,
            Cell = tablet.Cell,
            ServerUuid = $"00000000-0000-0000-0000-{tablet.Tablet.Alias.Uid:D12}",
            Version = "8.0.40",
            MajorVersion = "8.0",
            CurrentTabletType = tablet.Type,
            ReadOnly = !isPrimary,
            LogBinEnabled = true,
            LogReplicaUpdates = true,
            BinlogFormat = "ROW",
            GtidMode = "ON",
            SemiSyncPrimaryEnabled = isPrimary,
            SemiSyncPrimaryStatus = isPrimary,
            SemiSyncPrimaryWaitForReplicaCount = isPrimary ? 1u : 0u,
            SemiSyncPrimaryClients = isPrimary ? 2u : 0u,
            SemiSyncReplicaEnabled = tablet.Type == TabletType.Replica,
            LastChecked = Now,
            LastSeen = Now,
            LastAttemptedCheck = Now,
        };
        if (isPrimary)
        {
            return observation;
        }
        return observation with
        {
            SourceHost = $"db-{primaryUid}",
            SourcePort = 3306,
            ReplicationIoThreadState = ReplicationThreadState.Running,
            ReplicationSqlThreadState = ReplicationThreadState.Running,
            ReplicationLagSeconds = 0,
            UsingAutoPosition = true,
            ReplicaNetTimeout = 60,
            HeartbeatInterval = 30,
        };
    }

    private static void Sprinkle(int shard, List<TabletRecord> tablets, Dictionary<string, InstanceObservation> observations)
    {
        void Change(int index, Func<InstanceObservation, InstanceObservation> change) =>
            observations[tablets[index].Alias] = change(observations[tablets[index].Alias]);

        if (shard % 50 == 49)
        {
            Change(0, o => o.WithFailedCheck(Now.AddSeconds(10), partialSuccess: false, diskStalled: false));
        }
        if (shard % 37 == 36)
        {
            Change(1, o => o with { ReplicationSqlThreadState = ReplicationThreadState.Stopped });
        }
        if (shard % 101 == 100)
        {
            Change(2, o => o with { ReadOnly = false });
        }
        if (shard % 211 == 210)
        {
            Change(3, o => o with { GtidErrant = "00000000-0000-0000-0000-000000000001:1-2", GtidErrantCount = 2 });
        }
        if (shard % 307 == 306)
        {
            observations.Remove(tablets[1].Alias);
        }
    }
}
