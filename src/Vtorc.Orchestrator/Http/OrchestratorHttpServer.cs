using System.Collections.Frozen;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The daemon's web surface on Kestrel (go/vt/vtorc/server/api.go and go/vt/servenv): the VTOrc API, the servenv-style
/// debug pages and <c>/metrics</c>. Every request goes through one dispatcher: exact path lookup (unknown paths 404),
/// the <c>--security-policy</c> check for the endpoint's role (403 with Vitess's "Access denied: …" text), the method
/// check, then the handler under a deadline; bad parameters answer 400 naming the parameter, store failures 500.
/// It reads the daemon's state through <see cref="IOrchestratorQueries"/>, changes it only through
/// <see cref="IOrchestratorActions"/> (given to the endpoints that act and no others); its one loop of its own looks for
/// changes for the operator page's event streams, and only while a page listens.
/// </summary>
public sealed class OrchestratorHttpServer : IAsyncDisposable
{
    /// <summary>How long one request may take before its store reads are cancelled.</summary>
    public static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(15);

    private readonly WebApplication _app;
    private readonly FrozenDictionary<string, HttpEndpoint> _endpoints;
    private readonly ILogger _logger;
    private readonly Ui.FleetChangeFeed _feed;
    private int _disposed;

    private OrchestratorHttpServer(WebApplication app, FrozenDictionary<string, HttpEndpoint> endpoints, SecurityPolicy policy, ILogger logger,
        Ui.FleetChangeFeed feed)
    {
        _feed = feed;
        _app = app;
        _endpoints = endpoints;
        Policy = policy;
        _logger = logger;
    }

    /// <summary>Where the server answers, e.g. <c>http://127.0.0.1:15000/</c> (a wildcard bind is given as 127.0.0.1).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public SecurityPolicy Policy { get; }

    /// <summary>The operator page's event streams (tests count the open ones).</summary>
    internal Ui.FleetChangeFeed UiEvents => _feed;

    /// <summary>The paths this server answers.</summary>
    public IReadOnlyCollection<string> Paths => _endpoints.Keys;

    /// <exception cref="ArgumentException">The security policy or bind address is invalid; the message names the flag.</exception>
    /// <exception cref="IOException">The port cannot be bound.</exception>
    public static async Task<OrchestratorHttpServer> StartAsync(IOrchestratorQueries queries, IOrchestratorActions actions, VtorcMetrics metrics,
        HttpServerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var policy = SecurityPolicy.Parse(options.SecurityPolicy);
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"invalid value \"{options.Port}\" for --port: expected 0..65535", nameof(options));
        }
        var bindAddress = ParseBindAddress(options.BindAddress);

        var endpoints = new Dictionary<string, HttpEndpoint>(StringComparer.Ordinal);
        var feed = new Ui.FleetChangeFeed(queries, options.UiEventsInterval, options.UiEventsHeartbeat, loggers.CreateLogger<OrchestratorHttpServer>());
        IEnumerable<HttpEndpoint> all =
        [
            .. new AnalysisEndpoints(queries).Endpoints(),
            .. new StateEndpoints(queries, options).Endpoints(),
            .. new RecoveryEndpoints(queries, actions).Endpoints(),
            .. new DebugEndpoints(queries, metrics, policy).Endpoints(),
            .. new Ui.UiEndpoints(queries, Ui.UiAssets.Load(), feed).Endpoints(),
            .. new UiActionEndpoints(queries, actions, policy).Endpoints(),
        ];
        foreach (var endpoint in all)
        {
            endpoints.Add(endpoint.Path, endpoint);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Vtorc.Orchestrator.Http" });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Action<ListenOptions> listen = l =>
            {
                if (options.Certificate is { } certificate)
                {
                    l.UseHttps(certificate);
                }
            };
            if (bindAddress is null)
            {
                kestrel.ListenAnyIP(options.Port, listen);
            }
            else
            {
                kestrel.Listen(bindAddress, options.Port, listen);
            }
        });
        var app = builder.Build();
        var server = new OrchestratorHttpServer(app, endpoints.ToFrozenDictionary(StringComparer.Ordinal), policy,
            loggers.CreateLogger<OrchestratorHttpServer>(), feed);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        feed.Start();

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = bindAddress is null || bindAddress.Equals(IPAddress.Any) || bindAddress.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : address.Host;
        server.BaseAddress = new UriBuilder(options.Certificate is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps, host, address.Port, "/").Uri;
        server._logger.HttpListening(address, server.BaseAddress, new Uri(server.BaseAddress, "debug/status"), policy);
        return server;
    }

    private static IPAddress? ParseBindAddress(string bindAddress)
    {
        if (string.IsNullOrEmpty(bindAddress))
        {
            return null;
        }
        if (bindAddress == "localhost")
        {
            return IPAddress.Loopback;
        }
        if (!IPAddress.TryParse(bindAddress.Trim('[', ']'), out var address))
        {
            throw new ArgumentException($"invalid value \"{bindAddress}\" for --bind-address: expected an IP address, \"localhost\" or empty (all interfaces)",
                nameof(bindAddress));
        }
        return address;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value is { Length: > 0 } value ? value : "/";
        if (!_endpoints.TryGetValue(path, out var endpoint))
        {
            // Go's ServeMux answer for a path nobody registered.
            await HttpResponses.PlainTextAsync(context, StatusCodes.Status404NotFound, "404 page not found").ConfigureAwait(false);
            return;
        }
        if (Policy.Deny(endpoint.Role) is { } denial)
        {
            await AnswerErrorAsync(context, endpoint, StatusCodes.Status403Forbidden, $"Access denied: {denial}").ConfigureAwait(false);
            return;
        }
        if (!endpoint.Accepts(request.Method))
        {
            context.Response.Headers.Allow = endpoint.AllowHeader;
            await AnswerErrorAsync(context, endpoint, StatusCodes.Status405MethodNotAllowed,
                $"Method {request.Method} is not allowed on {path}: use {endpoint.AllowHeader}").ConfigureAwait(false);
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(RequestDeadline);
        try
        {
            await endpoint.Handle(context, deadline.Token).ConfigureAwait(false);
        }
        catch (ActionRefusedException e)
        {
            await AnswerErrorAsync(context, endpoint, e.Status, e.Message).ConfigureAwait(false);
        }
        catch (ActionConflictException e)
        {
            await AnswerErrorAsync(context, endpoint, StatusCodes.Status409Conflict, e.Message).ConfigureAwait(false);
        }
        catch (QueryParameterException e)
        {
            await AnswerErrorAsync(context, endpoint, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads an answer.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            _logger.HttpRequestTimedOut(request.Method, path, RequestDeadline);
            await AnswerErrorAsync(context, endpoint, StatusCodes.Status500InternalServerError,
                $"{path} did not finish within {RequestDeadline.TotalSeconds:0} s").ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            _logger.HttpRequestFailed(request.Method, path, e.Message);
            await AnswerErrorAsync(context, endpoint, StatusCodes.Status500InternalServerError, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.HttpRequestCrashed(e, request.Method, path);
            await AnswerErrorAsync(context, endpoint, StatusCodes.Status500InternalServerError, e.Message).ConfigureAwait(false);
        }
    }

    private static Task AnswerErrorAsync(HttpContext context, HttpEndpoint endpoint, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            // Part of the answer is already on the wire; the status can no longer change.
            return Task.CompletedTask;
        }
        var allow = context.Response.Headers.Allow;
        context.Response.Clear();
        context.Response.Headers.Allow = allow;
        return endpoint.JsonErrors
            ? HttpResponses.JsonAsync(context, status, GoJsonSerializer.Serialize(new ErrorJson(message)))
            : HttpResponses.PlainTextAsync(context, status, message);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // The operator page's event streams end first: Kestrel's stop waits for every open request.
        await _feed.DisposeAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
