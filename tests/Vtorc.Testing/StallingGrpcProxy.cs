using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vtorc.Testing;

/// <summary>
/// A plaintext (h2c) gRPC pass-through on loopback in front of one gRPC server: every call is forwarded unchanged
/// (headers, messages, trailers, in both directions as they arrive), except the methods the test has stalled, which
/// get no answer at all until the caller gives up (its deadline or cancellation). That is a server reachable and
/// answering some calls while others hang, as an overloaded tablet behaves, without touching the server itself.
/// </summary>
public sealed class StallingGrpcProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Upgrade",
    };

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _upstream;
    private readonly string _upstreamAddress;
    private readonly ConcurrentDictionary<string, byte> _stalled = new(StringComparer.Ordinal);
    private volatile bool _stallEverything;
    private long _stalledCalls;
    private long _forwardedCalls;

    private StallingGrpcProxy(WebApplication app, HttpMessageInvoker upstream, string upstreamAddress)
    {
        _app = app;
        _upstream = upstream;
        _upstreamAddress = upstreamAddress;
    }

    /// <summary>The loopback port the proxy listens on.</summary>
    public int Port { get; private set; }

    /// <summary>How many calls the proxy has left unanswered so far.</summary>
    public long StalledCalls => Interlocked.Read(ref _stalledCalls);

    /// <summary>How many calls the proxy has forwarded so far (answered or not).</summary>
    public long ForwardedCalls => Interlocked.Read(ref _forwardedCalls);

    /// <summary>Starts a proxy in front of the h2c gRPC server at 127.0.0.1:<paramref name="upstreamPort"/>.</summary>
    public static async Task<StallingGrpcProxy> StartAsync(int upstreamPort, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = nameof(StallingGrpcProxy) });
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var upstream = new HttpMessageInvoker(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        var proxy = new StallingGrpcProxy(app, upstream, $"http://127.0.0.1:{upstreamPort}");
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.Port = new Uri(address).Port;
        return proxy;
    }

    /// <summary>Stops answering calls of <paramref name="path"/> (e.g. <c>/tabletmanagerservice.TabletManager/FullStatus</c>).</summary>
    public void Stall(string path) => _stalled[path] = 0;

    /// <summary>Stops answering any call.</summary>
    public void StallEverything() => _stallEverything = true;

    /// <summary>Forwards every call again (calls already stalled stay unanswered).</summary>
    public void Resume()
    {
        _stallEverything = false;
        _stalled.Clear();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (_stallEverything || _stalled.ContainsKey(path))
        {
            Interlocked.Increment(ref _stalledCalls);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up, which is the point.
            }
            return;
        }

        Interlocked.Increment(ref _forwardedCalls);
        using var request = new HttpRequestMessage(HttpMethod.Post, _upstreamAddress + path + context.Request.QueryString)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StreamContent(context.Request.Body),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.StartsWith(':') || HopByHopHeaders.Contains(name))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _upstream.SendAsync(request, context.RequestAborted);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHopHeaders.Contains(name))
                {
                    context.Response.Headers.Append(name, values.ToArray());
                }
            }
            await context.Response.StartAsync(context.RequestAborted);
            await using (var body = await response.Content.ReadAsStreamAsync(context.RequestAborted))
            {
                // Message by message as they arrive (server streams), not buffered until the end.
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            foreach (var (name, values) in response.TrailingHeaders)
            {
                context.Response.AppendTrailer(name, values.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Stalled calls whose callers never gave up: the host is disposed anyway.
        }
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
