using System.Net.Http;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Replicationdata;
using Topodata;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Tests.Live;
using Vtorc.Orchestrator.Tests.Recovery;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Http;

/// <summary>
/// A real daemon and two HTTP servers on it (security policy "" and "read-only") over an in-memory topology whose
/// tablets are scripted (fake tablet manager): keyspace "ks" with shards -80 (primary 100, replicas 101, 102) and 80-
/// (primary 200, replicas 201, 202), all healthy until a test says otherwise.
/// </summary>
internal sealed class UiActionsHarness : IAsyncDisposable
{
    public const string ShardA = TwoShardTablets.ShardA;
    public const string ShardB = TwoShardTablets.ShardB;

    /// <summary>The header the page sends its anti-forgery token in (written out: the test must fail if the server renames it).</summary>
    public const string CsrfHeader = "X-Vtorc-Csrf-Token";

    private UiActionsHarness(TopoServer topo) => Topo = topo;

    public TopoServer Topo { get; }

    public FakeTabletManager Tablets { get; } = new();

    public VtorcMetrics Metrics { get; } = new();

    public OrchestratorDaemon Daemon { get; private set; } = null!;

    public OrchestratorHttpServer Server { get; private set; } = null!;

    public OrchestratorHttpServer ReadOnlyServer { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <param name="shutdownWaitTime">The daemon's <c>--shutdown-wait-time</c> (1 s unless a test needs the wait itself).</param>
    /// <param name="loggers">Where the daemon logs; nowhere by default.</param>
    public static async Task<UiActionsHarness> StartAsync(TimeSpan? shutdownWaitTime = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        var h = new UiActionsHarness(TopoServer.OpenInMemory("zone1"));
        try
        {
            await h.CreateFleetAsync();
            var defaults = LiveCluster.TestOptions();
            var options = defaults with
            {
                Store = new() { AuditToBackend = true },
                Recovery = defaults.Recovery with { RecoveryPeriodBlockDuration = TimeSpan.Zero },
                TopologyWatch = new() { Enabled = false },
                HealthStream = new() { Enabled = false },
                ShutdownWaitTime = shutdownWaitTime ?? TimeSpan.FromSeconds(1),
            };
            h.Daemon = await OrchestratorDaemon.StartAsync(h.Topo, h.Tablets, options, h.Metrics, loggers ?? NullLoggerFactory.Instance, TimeProvider.System, Token());
            h.Server = await StartServerAsync(h.Daemon, h.Metrics, SecurityPolicy.AllowAllName);
            h.ReadOnlyServer = await StartServerAsync(h.Daemon, h.Metrics, SecurityPolicy.ReadOnlyName);
            h.Client = HttpApiFixture.ClientOf(h.Server);
            await Poll.UntilAsync(() => Task.FromResult(h.Daemon.Queries.Snapshots().Sum(s => s.Tablets.Count) == 6), TimeSpan.FromSeconds(30),
                "the daemon knows both shards and their six tablets");
            return h;
        }
        catch
        {
            await h.DisposeAsync();
            throw;
        }
    }

    private static Task<OrchestratorHttpServer> StartServerAsync(OrchestratorDaemon daemon, VtorcMetrics metrics, string policy) =>
        OrchestratorHttpServer.StartAsync(daemon.Queries, daemon.Actions, metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1", SecurityPolicy = policy }, NullLoggerFactory.Instance, Token());

    public static string Alias(uint uid) => TabletAliases.Create("zone1", uid).ToText();

    public static uint PrimaryUid(string shard) => shard == ShardA ? 100u : 200u;

    /// <summary>The anti-forgery token of <paramref name="client"/>'s server.</summary>
    public static async Task<string> TokenAsync(HttpClient client)
    {
        using var session = JsonDocument.Parse(await client.GetStringAsync("/api/ui/session"));
        return session.RootElement.GetProperty("CsrfToken").GetString()!;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON to <c>/api/ui/actions/{action}</c> with the server's token.</summary>
    public async Task<HttpResponseMessage> PostAsync(string action, object body, HttpClient? client = null)
    {
        client ??= Client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ui/actions/" + action)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(CsrfHeader, await TokenAsync(client));
        return await client.SendAsync(request);
    }

    /// <summary>The replica <paramref name="uid"/> reports both replication threads stopped (ReplicationStopped) or running.</summary>
    public void Replicate(string shard, uint uid, bool running) =>
        Tablets.Returns(Alias(uid), "FullStatus", TwoShardTablets.ReplicaStatus(uid, PrimaryUid(shard), running));

    private async Task CreateFleetAsync()
    {
        await Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Token());
        foreach (var shard in new[] { ShardA, ShardB })
        {
            uint primaryUid = PrimaryUid(shard);
            await Topo.CreateShardAsync("ks", shard, Token());
            var primary = TwoShardTablets.NewTablet(primaryUid, shard, TabletType.Primary);
            await Topo.CreateTabletAsync(primary, Token());
            await Topo.CreateTabletAsync(TwoShardTablets.NewTablet(primaryUid + 1, shard, TabletType.Replica), Token());
            await Topo.CreateTabletAsync(TwoShardTablets.NewTablet(primaryUid + 2, shard, TabletType.Replica), Token());
            await Topo.Shards.UpdateFieldsAsync(("ks", shard), s =>
            {
                s.PrimaryAlias = primary.Alias;
                s.PrimaryTermStartTime = primary.PrimaryTermStartTime;
            }, Token());
            Tablets.Returns(Alias(primaryUid), "FullStatus", new FullStatus { ServerId = primaryUid, TabletType = TabletType.Primary, Version = "8.0.36" });
            Replicate(shard, primaryUid + 1, running: true);
            Replicate(shard, primaryUid + 2, running: true);
        }
    }

    public static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        if (ReadOnlyServer is not null)
        {
            await ReadOnlyServer.DisposeAsync();
        }
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
        await Topo.DisposeAsync();
        Metrics.Dispose();
    }
}
