using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Benchmarks.Orchestrator;

/// <summary>One synthetic shard's records and latest observations, as discovery would hold them.</summary>
internal sealed record SyntheticShard(
    KeyspaceRecord Keyspace, ShardRecord Shard, IReadOnlyList<TabletRecord> Tablets, IReadOnlyDictionary<string, InstanceObservation> Observations);

/// <summary>
/// Synthetic shards of 4 tablets — a primary, two replicas and an rdonly, keyspaces under <c>semi_sync</c> — built
/// deterministically, for the benchmarks of pure analysis code (no network, no topology). A few shards carry
/// problems: an unreachable primary (every 50th), a stopped replica (every 37th), a writable replica (every 101st),
/// an errant GTID (every 211th), a never-polled replica (every 307th).
/// </summary>
internal static class SyntheticShards
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    public const int TabletsPerShard = 4;

    /// <summary><paramref name="tablets"/> / 4 shards over 10 keyspaces.</summary>
    public static IReadOnlyList<SyntheticShard> Build(int tablets)
    {
        int shards = tablets / TabletsPerShard;
        var result = new SyntheticShard[shards];
        uint uid = 100;
        for (int s = 0; s < shards; s++)
        {
            string keyspace = $"ks{s % 10}";
            string shard = $"s{s / 10}";
            var records = new List<TabletRecord>(TabletsPerShard);
            var observations = new Dictionary<string, InstanceObservation>(TabletsPerShard, StringComparer.Ordinal);
            uint primaryUid = uid;
            for (int t = 0; t < TabletsPerShard; t++, uid++)
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
                records.Add(record);
                observations[record.Alias] = Healthy(record, primaryUid);
            }
            Sprinkle(s, records, observations);
            result[s] = new SyntheticShard(
                new KeyspaceRecord(keyspace, KeyspaceType.Normal, DurabilityPolicyNames.SemiSync, false),
                new ShardRecord(keyspace, shard, records[0].Alias, Now.AddHours(-1), false),
                records, observations);
        }
        return result;
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
