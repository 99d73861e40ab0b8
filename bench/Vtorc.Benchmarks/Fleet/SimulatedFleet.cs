using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Topodata;
using Vtorc.Topo;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// A LOAD GENERATOR for the fleet benchmark, never a stand-in where a test claims real behaviour: N
/// <see cref="SimulatedTablet"/>s in shards of four (a primary and three replicas, two cells), registered in a real
/// etcd with the Vitess layout through our topology code (src/Vtorc.Topo, so the records are the ones our agent writes),
/// a replication tick that makes primaries write and replicas follow, the faults (dead hosts, hung shards) and the
/// topology writes a real agent makes when its type changes (src/Vtorc.Agent/Manager/TabletRecordKeeper.cs).
/// </summary>
internal sealed class SimulatedFleet
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<ConnectionContext, byte>[] _connections;
    private readonly Dictionary<(string Cell, uint Uid), SimulatedTablet> _byAlias = [];

    public SimulatedFleet(FleetLayout layout, TopoServer topo, bool pollAgePerConnection)
    {
        Layout = layout;
        Topo = topo;
        Shards = new SimulatedTablet[layout.Shards.Count][];
        var tablets = new List<SimulatedTablet>();
        foreach (var shard in layout.Shards)
        {
            // Primary and one replica in the first cell, two replicas in the second.
            Shards[shard.Index] = Enumerable.Range(0, FleetLayout.TabletsPerShard)
                .Select(k => new SimulatedTablet(shard.Index * FleetLayout.TabletsPerShard + k, shard, FleetLayout.Cells[k < 2 ? 0 : 1]))
                .ToArray();
            tablets.AddRange(Shards[shard.Index]);
        }
        Tablets = [.. tablets];
        foreach (var t in Tablets)
        {
            _byAlias[(t.Alias.Cell, t.Alias.Uid)] = t;
        }
        _connections = Tablets.Select(_ => new ConcurrentDictionary<ConnectionContext, byte>()).ToArray();
        PollAges = new PollAgeRecorder(Tablets.Length, pollAgePerConnection);
    }

    public FleetLayout Layout { get; }

    public TopoServer Topo { get; }

    public SimulatedTablet[] Tablets { get; }

    public SimulatedTablet[][] Shards { get; }

    public PollAgeRecorder PollAges { get; }

    public FailoverTracker Failovers { get; } = new();

    /// <summary>RPCs answered, by method name (what the orchestrators asked of the fleet).</summary>
    public ConcurrentDictionary<string, long> Calls { get; } = new(StringComparer.Ordinal);

    public SimulatedTablet? ByAlias(TabletAlias? alias) =>
        alias is not null && _byAlias.TryGetValue((alias.Cell, alias.Uid), out var t) ? t : null;

    /// <summary>Replicas connected to <paramref name="primary"/> with semi-sync on: Rpl_semi_sync_master_clients.</summary>
    public uint SemiSyncClients(SimulatedTablet primary)
    {
        uint clients = 0;
        foreach (var t in Shards[primary.Shard.Index])
        {
            if (t != primary && t.SemiSyncReplica && t.ConnectedTo(primary))
            {
                clients++;
            }
        }
        return clients;
    }

    // ---- registration ----

    /// <summary>Cells, keyspaces, shards (primary and term named) and tablets, written as vtctld and our agents would.</summary>
    public async Task RegisterAsync(string etcdEndpoint, Action<string> progress, CancellationToken cancellationToken)
    {
        foreach (var cell in FleetLayout.Cells)
        {
            await Topo.CellInfos.CreateAsync(cell, new CellInfo { ServerAddress = etcdEndpoint, Root = $"/vitess/{cell}" }, cancellationToken);
        }
        foreach (var (keyspace, durability) in Layout.Keyspaces)
        {
            await Topo.Keyspaces.CreateAsync(keyspace, new Keyspace { DurabilityPolicy = durability }, cancellationToken);
        }
        var term = Now();
        foreach (var shard in Shards)
        {
            var primary = shard[0];
            primary.StartAsPrimary(primary.Shard.SemiSync);
            foreach (var replica in shard.Skip(1))
            {
                replica.StartAsReplica(primary, replica.Shard.SemiSync);
            }
        }
        int registered = 0;
        // Shards in parallel, the tablets of one shard in order (they share ShardReplication records).
        await Parallel.ForEachAsync(Shards, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (shard, ct) =>
        {
            var place = shard[0].Shard;
            await Topo.Shards.CreateAsync((place.Keyspace, place.Name), new Shard
            {
                KeyRange = ShardName.Parse(place.Name).ToKeyRange(),
                IsPrimaryServing = true,
                PrimaryAlias = shard[0].Alias.Clone(),
                PrimaryTermStartTime = term.Clone(),
            }, ct);
            foreach (var t in shard)
            {
                await Topo.CreateTabletAsync(Record(t, t == shard[0] ? term : null), ct);
                if (Interlocked.Increment(ref registered) % 1000 == 0)
                {
                    progress($"registered {registered}/{Tablets.Length} tablets");
                }
            }
        });
    }

    /// <summary>The tablet record our agent writes (grpc port only; MySQL at the tablet's address on a port nothing listens on).</summary>
    private Tablet Record(SimulatedTablet t, Vttime.Time? term)
    {
        var record = new Tablet
        {
            Alias = t.Alias.Clone(),
            Hostname = t.Address,
            Keyspace = t.Shard.Keyspace,
            Shard = t.Shard.Name,
            KeyRange = ShardName.Parse(t.Shard.Name).ToKeyRange(),
            Type = t.Type,
            MysqlHostname = t.Address,
            MysqlPort = FleetLayout.FakeMySqlPort,
            PrimaryTermStartTime = term?.Clone(),
        };
        record.PortMap["grpc"] = GrpcPort;
        return record;
    }

    /// <summary>The port of the one listener that serves every tablet (set before <see cref="RegisterAsync"/>).</summary>
    public int GrpcPort { get; set; }

    private static Vttime.Time Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new Vttime.Time { Seconds = now.ToUnixTimeSeconds(), Nanoseconds = (int)(now.ToUnixTimeMilliseconds() % 1000 * 1_000_000 + Random.Shared.Next(1_000_000)) };
    }

    /// <summary>
    /// The tablet type in its record, and for a new primary its term and the Shard record (unless the shard has a newer
    /// term), as the agent's ChangeTypeAsync does.
    /// </summary>
    public async Task ChangeTypeInTopoAsync(SimulatedTablet t, TabletType type, CancellationToken cancellationToken)
    {
        var term = type == TabletType.Primary ? Now() : null;
        await Topo.Tablets.UpdateFieldsAsync(t.Alias, tablet =>
        {
            tablet.Type = type;
            tablet.PrimaryTermStartTime = term?.Clone();
        }, cancellationToken);
        t.SetType(type);
        if (term is not null)
        {
            await Topo.Shards.UpdateFieldsAsync((t.Shard.Keyspace, t.Shard.Name), shard =>
            {
                if (shard.PrimaryTermStartTime is null || Compare(term, shard.PrimaryTermStartTime) >= 0)
                {
                    shard.PrimaryAlias = t.Alias.Clone();
                    shard.PrimaryTermStartTime = term.Clone();
                }
            }, cancellationToken);
        }
    }

    private static int Compare(Vttime.Time a, Vttime.Time b) =>
        a.Seconds != b.Seconds ? a.Seconds.CompareTo(b.Seconds) : a.Nanoseconds.CompareTo(b.Nanoseconds);

    // ---- the replication tick ----

    /// <summary>Every 100 ms: replicas copy their source's binary log state (so they lag one tick), then primaries write one transaction.</summary>
    public async Task RunReplicationAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var shard in Shards)
                {
                    for (int k = 0; k < shard.Length; k++)
                    {
                        shard[k].Follow();
                    }
                    for (int k = 0; k < shard.Length; k++)
                    {
                        shard[k].WriteOne();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // ---- connections and faults ----

    public void Track(int tablet, ConnectionContext connection) => _connections[tablet].TryAdd(connection, 0);

    public void Untrack(int tablet, ConnectionContext connection) => _connections[tablet].TryRemove(connection, out _);

    public int OpenConnections => _connections.Sum(c => c.Count);

    /// <summary>The host dies: its connections are cut and new ones are closed as soon as accepted.</summary>
    public void Kill(SimulatedTablet tablet)
    {
        tablet.Dead = true;
        foreach (var connection in _connections[tablet.Index].Keys)
        {
            connection.Abort(new ConnectionAbortedException($"simulated tablet {tablet.AliasText} died"));
        }
    }

    /// <summary>The shard's tablets stop answering everything but FullStatus and Ping for <paramref name="duration"/>.</summary>
    public void Hang(int shard, TimeSpan duration)
    {
        long until = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        foreach (var t in Shards[shard])
        {
            Interlocked.Exchange(ref t.HungUntil, until);
        }
    }
}
