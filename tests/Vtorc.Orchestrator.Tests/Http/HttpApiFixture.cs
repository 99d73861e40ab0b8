using System.Net.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Tests.Live;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Http;

/// <summary>
/// One real shard (etcd, three MariaDB servers and their agents) watched by one real daemon, with three HTTP servers on
/// that daemon — one per security policy. Ready once the daemon has elected a primary for the fresh shard and every
/// replica follows it, so the API tests start from a healthy shard with one recovery in the history.
/// </summary>
public sealed class HttpApiFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private LiveCluster? _live;
    private TopoServer? _topo;
    private GrpcTabletManagerClient? _tablets;

    public LiveCluster Live => _live ?? throw new InvalidOperationException("not started");

    public OrchestratorDaemon Daemon { get; private set; } = null!;

    public VtorcMetrics Metrics { get; } = new();

    /// <summary>Security policy "" (allow all).</summary>
    public OrchestratorHttpServer Server { get; private set; } = null!;

    public OrchestratorHttpServer ReadOnlyServer { get; private set; } = null!;

    public OrchestratorHttpServer DenyAllServer { get; private set; } = null!;

    public AgentMember Primary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var loggers = NullLoggerFactory.Instance;
        _live = await LiveCluster.StartAsync(loggers);
        _topo = TopoServer.Open(new TopoServerOptions { GlobalServerAddresses = [Live.Cluster.Etcd.Endpoint], GlobalRoot = Live.Cluster.GlobalRoot });
        _tablets = new GrpcTabletManagerClient(new TabletManagerClientOptions { DefaultTimeout = TimeSpan.FromSeconds(5) });
        Daemon = await OrchestratorDaemon.StartAsync(_topo, _tablets, LiveCluster.TestOptions(), Metrics, loggers,
            TimeProvider.System, AgentCluster.Deadline(60));
        Server = await StartServerAsync(SecurityPolicy.AllowAllName);
        ReadOnlyServer = await StartServerAsync(SecurityPolicy.ReadOnlyName);
        DenyAllServer = await StartServerAsync(SecurityPolicy.DenyAllName);

        Primary = await Live.WaitForHealthyShardAsync(StartDeadline, "the daemon elected a primary that every replica follows");
        await Poll.UntilAsync(() => Task.FromResult(Daemon.CurrentProblems().Count == 0), StartDeadline,
            "the daemon sees no problem in the repaired shard");
    }

    private Task<OrchestratorHttpServer> StartServerAsync(string policy) =>
        OrchestratorHttpServer.StartAsync(Daemon.Queries, Daemon.Actions, Metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1", SecurityPolicy = policy }, NullLoggerFactory.Instance, AgentCluster.Deadline());

    /// <summary>A client of <paramref name="server"/> that does not follow redirects and gives up after 30 s.</summary>
    public static HttpClient ClientOf(OrchestratorHttpServer server) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The problem codes the daemon reports for <paramref name="alias"/> right now.</summary>
    public IReadOnlyList<string> ProblemsOf(string alias) =>
        [.. Daemon.CurrentProblems().Where(p => p.AnalyzedInstanceAlias == alias).Select(p => p.Analysis)];

    public bool HasProblem(string alias, string code) => ProblemsOf(alias).Contains(code);

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { Server, ReadOnlyServer, DenyAllServer })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
        if (_topo is not null)
        {
            await _topo.DisposeAsync();
        }
        _tablets?.Dispose();
        if (_live is not null)
        {
            await _live.DisposeAsync();
        }
        Metrics.Dispose();
    }
}
