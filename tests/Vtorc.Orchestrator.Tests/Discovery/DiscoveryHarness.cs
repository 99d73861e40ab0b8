using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicationdata;
using Topodata;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// An in-memory topology with cells zone1 and zone2 (an etcd one for the tests about etcd itself), the discovery
/// components over it, a <see cref="FakeTabletManager"/> for FullStatus and a <see cref="FakeTimeProvider"/> (its timers
/// fire inside <c>Advance</c>). The poller's workers are not started: tests call it directly.
/// </summary>
internal sealed class DiscoveryHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);

    private readonly InMemoryTopoStore? _store;

    private DiscoveryHarness(TopoServer topo, InMemoryTopoStore? store, ClustersToWatch watch, DiscoverySettings? settings,
        ILogger<TopologyRefresher>? refresherLogger)
    {
        Topo = topo;
        _store = store;
        Settings = settings ?? Settings;
        State = new DiscoveryState(Settings.ForgetTtl);
        Refresher = new TopologyRefresher(topo, State, watch, Settings, Time, Metrics, refresherLogger ?? NullLogger<TopologyRefresher>.Instance);
        Poller = new InstancePoller(Tablets, State, Settings, Time, Metrics, NullLogger<InstancePoller>.Instance);
        Source = new DiscoveryShardStateSource(State, Refresher, Poller, DurabilityPolicyRegistry.CreateDefault());
    }

    public DiscoverySettings Settings { get; } = new() { InstancePollTime = TimeSpan.FromSeconds(5), DiscoveryWorkers = 4 };

    public FakeDiscoveryMetrics Metrics { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeTabletManager Tablets { get; } = new() { UnscriptedCallsFail = true };

    public TopoServer Topo { get; }

    public DiscoveryState State { get; }

    public TopologyRefresher Refresher { get; }

    public InstancePoller Poller { get; }

    public DiscoveryShardStateSource Source { get; }

    public static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <param name="settings">Replaces <see cref="Settings"/> (e.g. a very long <c>--topo-information-refresh-duration</c>).</param>
    public static DiscoveryHarness Create(string? clustersToWatch = null, DiscoverySettings? settings = null,
        ILogger<TopologyRefresher>? refresherLogger = null)
    {
        var factory = new InMemoryTopoFactory();
        var topo = factory.OpenServer(["zone1", "zone2"]);
        return new DiscoveryHarness(topo, factory.Store(), ClustersToWatch.Parse(clustersToWatch), settings, refresherLogger);
    }

    /// <summary>The same over a real etcd, under a fresh root: for the tests of what etcd does (restarts, compaction,
    /// a frozen server).</summary>
    public static async Task<DiscoveryHarness> CreateOnEtcdAsync(string etcdEndpoint, DiscoverySettings? settings = null)
    {
        var baseRoot = "/d-" + Guid.NewGuid().ToString("N")[..12];
        var topo = TopoServer.Open(new TopoServerOptions
        {
            GlobalServerAddresses = [etcdEndpoint],
            GlobalRoot = baseRoot + "/global",
            DialTimeout = TimeSpan.FromSeconds(2),
            OperationTimeout = TimeSpan.FromSeconds(5),
        });
        foreach (var cell in new[] { "zone1", "zone2" })
        {
            await topo.CellInfos.CreateAsync(cell, new CellInfo { ServerAddress = etcdEndpoint, Root = $"{baseRoot}/{cell}" }, Deadline());
        }
        return new DiscoveryHarness(topo, null, ClustersToWatch.Parse(null), settings, null);
    }

    /// <summary>The store key of a record of the global topo or of a cell (<see cref="InMemoryTopoFactory.OpenServer"/>'s roots).</summary>
    public static string RecordKey(string cell, string relativePath) => $"/vitess/{cell}/{relativePath}";

    /// <summary>Writes raw bytes at a record's key, as another client of the store could (a corrupt record).</summary>
    public void PutRaw(string cell, string relativePath, ByteString value) =>
        (_store ?? throw new InvalidOperationException("raw writes are for the in-memory topology")).Put(RecordKey(cell, relativePath), value);

    public static Tablet NewTablet(string cell, uint uid, string keyspace = "ks", string shard = "0", TabletType type = TabletType.Replica) =>
        TestTablets.Record(cell, uid, keyspace, shard, type);

    public async Task<string> AddTabletAsync(Tablet tablet)
    {
        await Topo.CreateTabletAsync(tablet, Deadline());
        return tablet.Alias.ToText();
    }

    /// <summary>A healthy FullStatus: a primary writes, a replica replicates from <paramref name="sourceUid"/>.</summary>
    public static FullStatus Healthy(uint uid, TabletType type, uint? sourceUid = null) => new()
    {
        ServerId = uid,
        TabletType = type,
        ReadOnly = type != TabletType.Primary,
        Version = "8.0.36",
        ReplicationStatus = sourceUid is { } source
            ? new Status { SourceHost = $"db-{source}", SourcePort = 3306, IoState = 3, SqlState = 3 }
            : null,
    };

    public async ValueTask DisposeAsync()
    {
        await Poller.DisposeAsync();
        await Topo.DisposeAsync();
    }
}
