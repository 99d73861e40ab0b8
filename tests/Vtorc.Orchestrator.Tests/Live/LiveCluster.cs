using Topodata;
using Microsoft.Extensions.Logging;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// A real shard (etcd, three MariaDB servers, their agents) watched by one or more real daemons, each with its own
/// topo connection and history store, polling every second. Disposing stops the daemons first, then the cluster.
/// </summary>
public sealed class LiveCluster : IAsyncDisposable
{
    public const string Keyspace = AgentCluster.Keyspace;
    public const string Shard = AgentCluster.Shard;

    private readonly ILoggerFactory _loggers;
    private readonly List<(OrchestratorDaemon Daemon, TopoServer Topo, GrpcTabletManagerClient Client)> _daemons = [];

    private LiveCluster(AgentCluster cluster, ILoggerFactory loggers)
    {
        Cluster = cluster;
        _loggers = loggers;
    }

    public AgentCluster Cluster { get; }

    public IReadOnlyList<OrchestratorDaemon> Daemons => [.. _daemons.Select(d => d.Daemon)];

    public static async Task<LiveCluster> StartAsync(ILoggerFactory loggers, int size = 3, IReadOnlyList<string>? cells = null,
        IReadOnlyList<string>? mariaDbArguments = null, AgentHosting hosting = AgentHosting.InProcess, IReadOnlyList<TabletType>? tabletTypes = null,
        IReadOnlyList<string>? agentArguments = null)
    {
        var cluster = await AgentCluster.StartAsync(size, loggers, cells, mariaDbArguments, hosting, tabletTypes, AgentCluster.Deadline(120),
            agentArguments: agentArguments);
        return new LiveCluster(cluster, loggers);
    }

    /// <summary>The options the tests run with: one-second polls, short topo refreshes, deadlines a loaded machine meets.</summary>
    public static OrchestratorOptions TestOptions() => new()
    {
        Discovery = new DiscoverySettings
        {
            InstancePollTime = TimeSpan.FromSeconds(1),
            TopoInformationRefreshDuration = TimeSpan.FromSeconds(2),
            RemoteOperationTimeout = TimeSpan.FromSeconds(5),
            DiscoveryWorkers = 8,
        },
        Recovery = RecoverySettings.Default with
        {
            Analysis = Vtorc.Orchestrator.Analysis.AnalysisSettings.Default with { InstancePollTime = TimeSpan.FromSeconds(1) },
            RemoteOperationTimeout = TimeSpan.FromSeconds(5),
            WaitReplicasTimeout = TimeSpan.FromSeconds(10),
        },
    };

    /// <param name="healthStreams">Wraps the daemon's tablet client as the source of health streams (default: the client itself).</param>
    public async Task<OrchestratorDaemon> StartDaemonAsync(Func<OrchestratorOptions, OrchestratorOptions>? configure = null,
        Func<GrpcTabletManagerClient, ITabletHealthStreams>? healthStreams = null)
    {
        var options = TestOptions();
        if (configure is not null)
        {
            options = configure(options);
        }
        var topo = TopoServer.Open(new TopoServerOptions { GlobalServerAddresses = [Cluster.Etcd.Endpoint], GlobalRoot = Cluster.GlobalRoot });
        var client = new GrpcTabletManagerClient(new TabletManagerClientOptions { DefaultTimeout = TimeSpan.FromSeconds(5) });
        var daemon = await OrchestratorDaemon.StartAsync(topo, client, options, new Vtorc.Orchestrator.Metrics.VtorcMetrics(), _loggers,
            TimeProvider.System, AgentCluster.Deadline(60), healthStreams?.Invoke(client));
        _daemons.Add((daemon, topo, client));
        return daemon;
    }

    public AgentMember Member(string alias) => Cluster.Members.Single(m => m.AliasText == alias);

    public Task<AgentMember?> TopoPrimaryAsync() => Cluster.TopoPrimaryAsync();

    /// <summary>See <see cref="ShardHealth.HealthyPrimaryAsync"/>.</summary>
    public Task<AgentMember?> HealthyPrimaryAsync(params AgentMember[] ignore) => Cluster.HealthyPrimaryAsync(ignore);

    /// <summary>Waits until <see cref="HealthyPrimaryAsync"/> answers, and returns that primary.</summary>
    public async Task<AgentMember> WaitForHealthyShardAsync(TimeSpan deadline, string what, params AgentMember[] ignore)
    {
        AgentMember? primary = null;
        await Poll.UntilAsync(async () => (primary = await HealthyPrimaryAsync(ignore)) is not null, deadline, what);
        return primary!;
    }

    /// <summary>Waits until <paramref name="daemon"/> has recorded a finished recovery of <paramref name="analysis"/>, and returns it.</summary>
    public static async Task<Vtorc.Orchestrator.Store.RecoveryRecord> WaitForRecoveryAsync(OrchestratorDaemon daemon, string analysis, TimeSpan deadline)
    {
        Vtorc.Orchestrator.Store.RecoveryRecord? found = null;
        await Poll.UntilAsync(async () =>
        {
            found = (await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline())).FirstOrDefault(r => r.Analysis == analysis && !r.IsActive);
            return found is not null;
        }, deadline, $"the daemon recorded a finished recovery of {analysis}");
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (daemon, topo, client) in _daemons)
        {
            await daemon.DisposeAsync();
            await topo.DisposeAsync();
            client.Dispose();
        }
        await Cluster.DisposeAsync();
    }
}
