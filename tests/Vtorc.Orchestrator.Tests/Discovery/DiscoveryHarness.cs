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
/// A real etcd topo under a fresh root with cells zone1 and zone2, the discovery components over it, a
/// <see cref="FakeTabletManager"/> for FullStatus and a <see cref="FakeTimeProvider"/> (its timers fire inside <c>Advance</c>). The poller's workers are not
/// started: tests call it directly.
/// </summary>
internal sealed class DiscoveryHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);

    private DiscoveryHarness(TopoServer topo, string baseRoot, ClustersToWatch watch, DiscoverySettings? settings,
        ILogger<TopologyRefresher>? refresherLogger)
    {
        Topo = topo;
        BaseRoot = baseRoot;
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

    public string BaseRoot { get; }

    public DiscoveryState State { get; }

    public TopologyRefresher Refresher { get; }

    public InstancePoller Poller { get; }

    public DiscoveryShardStateSource Source { get; }

    public static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public static Task<DiscoveryHarness> CreateAsync(EtcdFixture etcd, string? clustersToWatch = null) =>
        CreateAsync(etcd.Etcd.Endpoint, clustersToWatch);

    /// <param name="settings">Replaces <see cref="Settings"/> (e.g. a very long <c>--topo-information-refresh-duration</c>).</param>
    public static async Task<DiscoveryHarness> CreateAsync(string etcdEndpoint, string? clustersToWatch = null, DiscoverySettings? settings = null,
        ILogger<TopologyRefresher>? refresherLogger = null)
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
        return new DiscoveryHarness(topo, baseRoot, ClustersToWatch.Parse(clustersToWatch), settings, refresherLogger);
    }

    public static Tablet NewTablet(string cell, uint uid, string keyspace = "ks", string shard = "0", TabletType type = TabletType.Replica) => new()
    {
        Alias = TabletAliases.Create(cell, uid),
        Hostname = $"host-{uid}",
        Keyspace = keyspace,
        Shard = shard,
        Type = type,
        MysqlHostname = $"db-{uid}",
        MysqlPort = 3306,
        PortMap = { ["grpc"] = 15999, ["vt"] = 15000 },
    };

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
