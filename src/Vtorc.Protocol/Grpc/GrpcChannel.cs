using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// A client for one target. All calls share one HTTP/2 connection (one SocketsHttpHandler, no extra
/// connections, no keepalive pings). Thread-safe; dispose when done with the target.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly Uri _baseUri;
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    private GrpcChannel(string target, Uri baseUri, GrpcChannelOptions options)
    {
        Target = target;
        _baseUri = baseUri;
        Options = options;
        Invoker = new HttpMessageInvoker(CreateHandler(baseUri, options), disposeHandler: true);
        // SocketsHttpHandler takes the TLS name from the request's Host, so the override travels as :authority,
        // as it does in grpc-go.
        AuthorityOverride = baseUri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(options.ServerNameOverride)
            ? options.ServerNameOverride + ":" + baseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    internal string? AuthorityOverride { get; }

    /// <summary>"host:port" or "http://host:port" (h2c with prior knowledge), or "https://host:port" (TLS, ALPN h2).</summary>
    public static GrpcChannel Create(string address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new GrpcChannelOptions();
        if (options.MaxReceiveMessageSize <= 0 || options.MaxSendMessageSize <= 0)
        {
            throw new ArgumentException(
                $"message size limits must be positive (receive {options.MaxReceiveMessageSize}, send {options.MaxSendMessageSize})",
                nameof(options));
        }
        return new GrpcChannel(address, ParseAddress(address), options);
    }

    /// <summary>The address as given to <see cref="Create"/>.</summary>
    public string Target { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker { get; }

    /// <summary>One request, one response. <paramref name="method"/> is the full path, e.g. "/etcdserverpb.KV/Range".</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ValidateMethod(method);
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfDeadlineAlreadyPassed(method, options);
        using var call = new GrpcClientCall<TResponse>(this, method, options);
        call.Start(CreateUnaryContent(call, request));
        var response = await call.ReadAsync(CancellationToken.None).ConfigureAwait(false)
            ?? throw call.Fail(new RpcException(StatusCode.Internal, "server ended the call with OK but sent no response message"));
        if (await call.ReadAsync(CancellationToken.None).ConfigureAwait(false) is not null)
        {
            throw call.Fail(new RpcException(StatusCode.Internal, "server sent more than one response message to a unary call"));
        }
        return response;
    }

    /// <summary>One request, a stream of responses; a non-OK end of the stream throws <see cref="RpcException"/>.</summary>
    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        CallOptions options,
        [EnumeratorCancellation] CancellationToken enumeratorCancellation = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ValidateMethod(method);
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfDeadlineAlreadyPassed(method, options);
        using var call = new GrpcClientCall<TResponse>(this, method, options);
        call.Start(CreateUnaryContent(call, request));
        while (await call.ReadAsync(enumeratorCancellation).ConfigureAwait(false) is { } response)
        {
            yield return response;
        }
    }

    /// <summary>Starts a bidirectional call; nothing is awaited until the first write or read.</summary>
    public DuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(string method, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ValidateMethod(method);
        ThrowIfDeadlineAlreadyPassed(method, options);
        var call = new GrpcClientCall<TResponse>(this, method, options);
        var content = new GrpcStreamingRequestContent(Options.MaxSendMessageSize);
        try
        {
            call.Start(content);
        }
        catch
        {
            content.Dispose();
            call.Dispose();
            throw;
        }
        return new DuplexStreamingCall<TRequest, TResponse>(call, content);
    }

    public void Dispose() => Invoker.Dispose();

    internal Uri UriFor(string method) =>
        _methodUris.TryGetValue(method, out var uri) ? uri : _methodUris.GetOrAdd(method, m => new Uri(_baseUri, m));

    private GrpcUnaryRequestContent CreateUnaryContent<TResponse>(GrpcClientCall<TResponse> call, IMessage request)
        where TResponse : class, IMessage<TResponse>, new()
    {
        try
        {
            return new GrpcUnaryRequestContent(request, Options.MaxSendMessageSize);
        }
        catch (RpcException e)
        {
            throw call.Fail(e);
        }
    }

    private static void ThrowIfDeadlineAlreadyPassed(string method, CallOptions options)
    {
        if (options.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, $"deadline already passed (timeout {timeout})", method);
        }
    }

    private static void ValidateMethod(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var slash = method.Length > 1 ? method.IndexOf('/', 1) : -1;
        if (method.Length < 4 || method[0] != '/' || slash < 2 || slash == method.Length - 1 || method.IndexOf('/', slash + 1) >= 0)
        {
            throw new ArgumentException($"gRPC method \"{method}\" is not of the form \"/package.Service/Method\"", nameof(method));
        }
    }

    internal static Uri ParseAddress(string address)
    {
        var text = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query)
            || string.IsNullOrEmpty(uri.Host)
            || !HasExplicitPort(text))
        {
            throw new ArgumentException(
                $"gRPC target \"{address}\" is not \"host:port\", \"http://host:port\" or \"https://host:port\"", nameof(address));
        }
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static bool HasExplicitPort(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
    }

    private static SocketsHttpHandler CreateHandler(Uri baseUri, GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Every call to a target shares one connection, as grpc-go does; streams beyond the server's
            // concurrency limit wait for a free stream instead of opening more connections.
            EnableMultipleHttp2Connections = false,
            // Vitess tablets punish early pings with GOAWAY ENHANCE_YOUR_CALM (docs/wire-format.md, "Reaching a
            // tablet"), so we send none.
            KeepAlivePingDelay = Timeout.InfiniteTimeSpan,
            // Without dynamic window sizing (see Http2PingSuppression) this is each stream's fixed receive window;
            // 1 MiB keeps large etcd ranges and 8 MiB messages from stalling on window updates.
            InitialHttp2StreamWindowSize = 1024 * 1024,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        if (baseUri.Scheme == Uri.UriSchemeHttps)
        {
            var ssl = new SslClientAuthenticationOptions
            {
                ApplicationProtocols = [SslApplicationProtocol.Http2],
            };
            if (options.ClientCertificate is { } clientCertificate)
            {
                ssl.ClientCertificates = [clientCertificate];
            }
            if (options.TrustedCertificateAuthorities is { Count: > 0 } authorities)
            {
                ssl.RemoteCertificateValidationCallback = (_, certificate, presentedChain, errors) =>
                    ChainsToTrustedAuthority(certificate, presentedChain, errors, authorities);
            }
            handler.SslOptions = ssl;
        }
        return handler;
    }

    private static bool ChainsToTrustedAuthority(
        X509Certificate? certificate,
        X509Chain? presentedChain,
        SslPolicyErrors errors,
        X509Certificate2Collection authorities)
    {
        // Name and presence errors stand; only chain errors are re-judged against our own roots.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
