using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// A gRPC server on Kestrel with one HTTP/2-only endpoint (plaintext h2c or TLS). Services are added by
/// descriptor and implementation object; requests are dispatched to the implementation's public methods named
/// like the RPCs:
/// unary <c>Task&lt;TResp&gt; Name(TReq, ServerCallContext)</c>,
/// server streaming <c>Task Name(TReq, IServerStreamWriter&lt;TResp&gt;, ServerCallContext)</c>,
/// client streaming <c>Task&lt;TResp&gt; Name(IAsyncStreamReader&lt;TReq&gt;, ServerCallContext)</c>,
/// bidi <c>Task Name(IAsyncStreamReader&lt;TReq&gt;, IServerStreamWriter&lt;TResp&gt;, ServerCallContext)</c>.
/// RPCs without such a method answer UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServer : IAsyncDisposable
{
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ServerMethodHandler?> _registered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private FrozenDictionary<string, ServerMethodHandler?> _methods = FrozenDictionary<string, ServerMethodHandler?>.Empty;
    private FrozenSet<string> _serviceNames = FrozenSet<string>.Empty;
    private WebApplication? _app;
    private long _acceptedConnections;

    public GrpcServer(GrpcServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Certificate is null && options.RequireClientCertificate)
        {
            throw new ArgumentException("RequireClientCertificate needs a server Certificate (TLS)", nameof(options));
        }
        _options = options;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vtorc.Protocol.Grpc.GrpcServer");
    }

    /// <summary>Registers a service; call before <see cref="StartAsync"/>. Throws if a method has a wrong signature.</summary>
    public void AddService(ServiceDescriptor service, object implementation)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException($"AddService({service?.FullName}) after the server started");
        }
        var bound = ServiceBinder.Bind(service, implementation);
        if (!_services.Add(service.FullName))
        {
            throw new ArgumentException($"service {service.FullName} is already registered", nameof(service));
        }
        foreach (var (path, handler) in bound)
        {
            _registered[path] = handler;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the gRPC server is already started");
        }
        _methods = _registered.ToFrozenDictionary(StringComparer.Ordinal);
        _serviceNames = _services.ToFrozenSet(StringComparer.Ordinal);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Vtorc.Protocol.Grpc" });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Streams live as long as the caller wants (watches, keepalives); limits apply per message instead.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
            kestrel.Listen(_options.BindAddress, _options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref _acceptedConnections);
                    return next(connection);
                });
                if (_options.Certificate is { } certificate)
                {
                    listen.UseHttps(CreateHttpsOptions(certificate));
                }
            });
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _logger.LogInformation("gRPC server listening on {Address} ({Services})", address, string.Join(", ", _services));
    }

    /// <summary>The bound port (valid after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>How many connections the endpoint has accepted since start.</summary>
    public long AcceptedConnectionCount => Interlocked.Read(ref _acceptedConnections);

    /// <summary>Cancels the calls in progress (they end UNAVAILABLE) and stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        if (_app is { } app)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
        _shutdown.Dispose();
    }

    private HttpsConnectionAdapterOptions CreateHttpsOptions(X509Certificate2 certificate)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            ClientCertificateMode = _options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
        };
        if (_options.RequireClientCertificate && _options.ClientCertificateAuthorities is { Count: > 0 } authorities)
        {
            https.ClientCertificateValidation = (clientCertificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                return chain.Build(clientCertificate);
            };
        }
        return https;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            ServerCall.SetStatus(http, false, StatusCode.Internal, $"invalid gRPC request content-type \"{request.ContentType}\"");
            return;
        }
        http.Response.ContentType = GrpcProtocol.ContentType;
        var path = request.Path.Value ?? string.Empty;
        if (!_methods.TryGetValue(path, out var handler) || handler is null)
        {
            ServerCall.SetStatus(http, false, StatusCode.Unimplemented, DescribeUnknown(path));
            return;
        }
        var encoding = request.Headers[GrpcProtocol.EncodingHeader];
        if (encoding.Count > 0 && encoding.ToString() != "identity")
        {
            http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = "identity";
            ServerCall.SetStatus(http, false, StatusCode.Unimplemented, $"grpc-encoding \"{encoding}\" is not supported");
            return;
        }
        TimeSpan? timeout = null;
        var timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader];
        if (timeoutHeader.Count > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader.ToString(), out var parsed))
            {
                ServerCall.SetStatus(http, false, StatusCode.Internal, $"malformed grpc-timeout \"{timeoutHeader}\"");
                return;
            }
            timeout = parsed;
        }

        using var call = new ServerCall(http, path, _options, timeout, _shutdown.Token);
        StatusCode code;
        string detail;
        try
        {
            await handler.InvokeAsync(call).ConfigureAwait(false);
            (code, detail) = call.DeadlineExpired ? (StatusCode.DeadlineExceeded, "deadline exceeded") : (StatusCode.OK, string.Empty);
        }
        catch (Exception e)
        {
            (code, detail) = call.StatusFor(e);
            if (code == StatusCode.Unknown)
            {
                _logger.LogWarning(e, "gRPC handler for {Method} failed", path);
            }
        }
        if (call.ClientGone)
        {
            return;
        }
        ServerCall.SetStatus(http, call.WroteMessage, code, detail);
    }

    private string DescribeUnknown(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash <= 1)
        {
            return $"malformed method name \"{path}\"";
        }
        var service = path[1..slash];
        return _serviceNames.Contains(service)
            ? $"method {path[(slash + 1)..]} of service {service} is not implemented"
            : $"unknown service {service}";
    }
}
