using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The servenv-style pages: <c>/debug/health</c> (MONITORING), <c>/debug/status</c> (DEBUGGING), and the pages
/// Vitess registers without any ACL check, which therefore stay reachable under <c>deny-all</c>:
/// <c>/debug/liveness</c> (a liveness probe must not depend on policy), <c>/debug/vars</c> (Go's expvar handler),
/// <c>/metrics</c> (the Prometheus handler). Where Vitess redirects <c>/</c> to the status page, ours serves the operator
/// page (<see cref="Ui.UiEndpoints"/>).
/// </summary>
internal sealed class DebugEndpoints(IOrchestratorQueries queries, VtorcMetrics metrics, SecurityPolicy policy)
{
    private static readonly TimeSpan HealthProbeDeadline = TimeSpan.FromSeconds(2);

    /// <summary>VTOrc's per-process token: a hash identifying this run of the process.</summary>
    private static readonly string ProcessToken = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid()}")));

    public static string Version { get; } =
        typeof(DebugEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public IEnumerable<HttpEndpoint> Endpoints() =>
    [
        HttpEndpoint.Read("/debug/health", AclRole.Monitoring, HealthAsync),
        HttpEndpoint.Read("/debug/liveness", AclRole.Public, LivenessAsync),
        HttpEndpoint.Read("/debug/vars", AclRole.Public, VarsAsync),
        HttpEndpoint.Read("/metrics", AclRole.Public, MetricsAsync),
        HttpEndpoint.Read("/debug/status", AclRole.Debugging, StatusAsync),
    ];

    private async Task HealthAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var health = await CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        await HttpResponses.JsonAsync(context, health.IsServing ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError,
            GoJsonSerializer.Serialize(health)).ConfigureAwait(false);
    }

    /// <summary>Healthy when the daemon is not shutting down and the history store answers a query within a short deadline.</summary>
    public async Task<HealthStatus> CheckHealthAsync(CancellationToken cancellationToken)
    {
        string? error = null;
        if (queries.IsShuttingDown)
        {
            // The lameduck period (--lameduck-period): still answering, so load balancers and monitors see the
            // shutdown; the store may already be closed, so it is not probed.
            error = "shutting down";
        }
        else
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(HealthProbeDeadline);
            try
            {
                await queries.IsGlobalRecoveryDisabledAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"the history store did not answer within {HealthProbeDeadline.TotalSeconds:0} s";
            }
            catch (Exception e) when (e is StoreException or ObjectDisposedException or InvalidOperationException)
            {
                error = $"the history store failed: {e.Message}";
            }
        }
        var node = new NodeHealth
        {
            Hostname = Environment.MachineName,
            Token = ProcessToken,
            AppVersion = Version,
            FirstSeenActive = GoJsonText.Time(queries.StartedAt),
            LastSeenActive = GoJsonText.Time(queries.Now),
            DBBackend = queries.StoreLocation.ToString(),
            LastReported = queries.Now,
        };
        return new HealthStatus
        {
            Healthy = error is null,
            Hostname = node.Hostname,
            Token = ProcessToken,
            IsActiveNode = error is null,
            DiscoveredOnce = queries.DiscoveredOnce,
            ActiveNode = error is null ? node : null,
            Error = error,
            AvailableNodes = error is null ? [node] : [],
        };
    }

    private static Task LivenessAsync(HttpContext context, CancellationToken cancellationToken) =>
        HttpResponses.PlainTextAsync(context, StatusCodes.Status200OK, "ok");

    private Task VarsAsync(HttpContext context, CancellationToken cancellationToken) =>
        HttpResponses.TextAsync(context, ExpvarJsonFormatter.ContentType, ExpvarJsonFormatter.Format(metrics, Environment.GetCommandLineArgs()));

    private Task MetricsAsync(HttpContext context, CancellationToken cancellationToken) =>
        HttpResponses.TextAsync(context, PrometheusTextFormatter.ContentType, PrometheusTextFormatter.Format(metrics));

    private async Task StatusAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var model = await GatherStatusAsync(cancellationToken).ConfigureAwait(false);
        await HttpResponses.HtmlAsync(context, StatusPage.Render(model)).ConfigureAwait(false);
    }

    /// <summary>Reads everything the status page shows; a failing history store is shown on the page, not hidden.</summary>
    public async Task<StatusPageModel> GatherStatusAsync(CancellationToken cancellationToken)
    {
        var now = queries.Now;
        var settings = queries.AnalysisSettings;
        var snapshots = queries.Snapshots();
        var results = DetectionAnalyzer.AnalyzeAll(snapshots, settings, now)
            .ToDictionary(r => (r.Keyspace, r.Shard));
        var shards = snapshots
            .Select(s => new ShardStatus(s, results.GetValueOrDefault((s.Keyspace.Name, s.Shard.Shard))
                ?? new ShardAnalysisResult(s.Keyspace.Name, s.Shard.Shard, [], ShardSkipReason.None, null)))
            .ToList();

        bool? disabled = null;
        IReadOnlyList<RecoveryDisable> disables = [];
        IReadOnlyList<RecoveryRecord> recoveries = [];
        string? storeError = null;
        try
        {
            disabled = await queries.IsGlobalRecoveryDisabledAsync(cancellationToken).ConfigureAwait(false);
            disables = await queries.ReadRecoveryDisablesAsync(cancellationToken).ConfigureAwait(false);
            recoveries = await queries.ReadRecentRecoveriesAsync(0, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            storeError = e.Message;
        }
        return new StatusPageModel
        {
            Version = Version,
            Hostname = Environment.MachineName,
            StartedAt = queries.StartedAt,
            Now = now,
            WatchScope = queries.Options.ClustersToWatch,
            RecoveriesDisabled = disabled,
            RecoveryDisables = disables,
            AdminAllowed = policy.AllowsAdmin,
            DiscoveredOnce = queries.DiscoveredOnce,
            AnalysisSettings = settings,
            Shards = shards,
            RecentRecoveries = recoveries,
            StoreError = storeError,
            PollErrors = queries.PollErrors,
            RecoveryOutcomes = queries.RecoveryOutcomes,
        };
    }
}
