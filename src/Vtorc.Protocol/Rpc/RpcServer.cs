using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// One gRPC service (or two on the same endpoint; an instance of a subclass of a generated <c>…Base</c>) on Kestrel and grpc-dotnet, with one HTTP/2-only endpoint,
/// plaintext h2c or TLS with optional required client certificates. Methods the service does not override answer
/// UNIMPLEMENTED, as do unknown services and methods.
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private long _acceptedConnections;

    private RpcServer(WebApplication app) => _app = app;

    /// <summary>The bound port.</summary>
    public int Port { get; private set; }

    /// <summary>How many connections the endpoint has accepted since start.</summary>
    public long AcceptedConnectionCount => Interlocked.Read(ref _acceptedConnections);

    public static Task<RpcServer> StartAsync<TService>(TService service, RpcServerOptions options, CancellationToken cancellationToken)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(service);
        return StartAsync([Registration.Of(service)], typeof(TService).Name, options, cancellationToken);
    }

    /// <summary>Two services on the same endpoint (as vttablet serves TabletManager and Query on one port).</summary>
    public static Task<RpcServer> StartAsync<TService, TSecond>(TService service, TSecond second, RpcServerOptions options,
        CancellationToken cancellationToken)
        where TService : class
        where TSecond : class
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(second);
        return StartAsync([Registration.Of(service), Registration.Of(second)], $"{typeof(TService).Name}+{typeof(TSecond).Name}", options,
            cancellationToken);
    }

    private static async Task<RpcServer> StartAsync(IReadOnlyList<Registration> services, string name, RpcServerOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Certificate is null && options.RequireClientCertificate)
        {
            throw new ArgumentException("RequireClientCertificate needs a server Certificate (TLS)", nameof(options));
        }
        if (options.MaxReceiveMessageSize <= 0 || options.MaxSendMessageSize <= 0)
        {
            throw new ArgumentException(
                $"message size limits must be positive (receive {options.MaxReceiveMessageSize}, send {options.MaxSendMessageSize})", nameof(options));
        }
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = name });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = options.MaxSendMessageSize;
            if (options.StaticAuth is { } users)
            {
                grpc.Interceptors.Add<StaticAuthInterceptor>(users);
            }
        });
        // Our binder instead of grpc-dotnet's: it serves this one instance and answers unparsable requests INTERNAL.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        foreach (var service in services)
        {
            service.AddTo(builder.Services);
        }
        RpcServer? server = null;
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vtorc.Protocol.Rpc.RpcServer");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Calls live as long as their deadline allows; limits apply per message instead.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
            kestrel.Listen(options.BindAddress, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => connection =>
                {
                    if (server is not null)
                    {
                        Interlocked.Increment(ref server._acceptedConnections);
                    }
                    return next(connection);
                });
                if (options.Certificate is { } certificate)
                {
                    listen.UseHttps(CreateHttpsOptions(certificate, options, logger));
                }
            });
        });
        var app = builder.Build();
        foreach (var service in services)
        {
            service.Map(app);
        }
        server = new RpcServer(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        logger.LogInformation("gRPC server listening on {Address} ({Service}; TLS: {Tls}; client certificates: {ClientCertificates}; static auth: {StaticAuth})",
            address, name, options.Certificate is null ? "off" : "on", options.RequireClientCertificate ? "required" : "not asked for",
            options.StaticAuth is { } auth ? $"{auth.Count} user(s)" : "off");
        return server;
    }

    /// <summary>Stops listening; calls still running get until <paramref name="cancellationToken"/> fires, then their connections are closed.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(DisposeTimeout))
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>How one service instance is added to the container and mapped (generic over its type, which grpc-dotnet needs).</summary>
    private sealed record Registration(Action<IServiceCollection> AddTo, Action<WebApplication> Map)
    {
        public static Registration Of<TService>(TService service)
            where TService : class =>
            new(services =>
            {
                services.AddSingleton(service);
                services.AddSingleton<IServiceMethodProvider<TService>>(new StrictParsingMethodProvider<TService>(service));
            }, app => app.MapGrpcService<TService>());
    }

    private static HttpsConnectionAdapterOptions CreateHttpsOptions(X509Certificate2 certificate, RpcServerOptions options, ILogger logger)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
        };
        if (options.RequireClientCertificate)
        {
            var check = new PeerCertificateCheck(options.ClientCertificateAuthorities, options.ClientCertificateRevocationLists);
            https.ClientCertificateValidation = (clientCertificate, chain, errors) =>
            {
                try
                {
                    // A client certificate names no host: only its chain (and revocation) is judged.
                    return check.Validate(clientCertificate, chain, errors & ~SslPolicyErrors.RemoteCertificateNameMismatch, "a client");
                }
                catch (AuthenticationException e)
                {
                    // The client only sees the handshake fail; the reason is in this log.
                    logger.LogWarning("gRPC server refused a client certificate: {Reason}", e.Message);
                    return false;
                }
            };
        }
        return https;
    }
}
