using System.Globalization;
using System.Net;
using System.Net.Security;
using Grpc.Net.Client;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// grpc-dotnet channels as Vitess servers expect them: one HTTP/2 connection per channel, no HTTP/2 PINGs (neither
/// keepalive nor window sizing), 16 MiB message limits, TLS with an optional client certificate, own CAs and a
/// server-name override.
/// </summary>
public static class RpcChannels
{
    /// <summary>
    /// Without dynamic window sizing this is each stream's fixed receive window; 1 MiB keeps large messages from
    /// stalling on window updates.
    /// </summary>
    private const int StreamWindowSize = 1024 * 1024;

    /// <summary>A channel to "host:port" or "http://host:port" (h2c with prior knowledge), or "https://host:port" (TLS, ALPN h2).</summary>
    public static GrpcChannel Create(string address, RpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new RpcChannelOptions();
        if (options.MaxReceiveMessageSize <= 0 || options.MaxSendMessageSize <= 0)
        {
            throw new ArgumentException(
                $"message size limits must be positive (receive {options.MaxReceiveMessageSize}, send {options.MaxSendMessageSize})", nameof(options));
        }
        return Create(ParseAddress(address), options);
    }

    /// <summary>A channel to an address already reduced to scheme, host and port.</summary>
    internal static GrpcChannel Create(Uri uri, RpcChannelOptions options)
    {
        Http2PingPolicy.ThrowIfWindowSizingPingsEnabled();
        HttpMessageHandler handler = CreateHandler(uri, options);
        if (uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(options.ServerNameOverride))
        {
            handler = new AuthorityOverrideHandler(options.ServerNameOverride + ":" + uri.Port.ToString(CultureInfo.InvariantCulture), handler);
        }
        return GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
        });
    }

    /// <summary>The base address of "host:port", "http://host:port" or "https://host:port"; throws quoting a malformed one.</summary>
    public static Uri ParseAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
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

    private static SocketsHttpHandler CreateHandler(Uri baseUri, RpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Every call shares one connection, as grpc-go does; streams beyond the server's concurrency limit wait
            // for a free stream instead of opening more connections.
            EnableMultipleHttp2Connections = false,
            // No keepalive PINGs unless asked for: Vitess tablets punish them (docs/wire-format.md, "Reaching a tablet").
            KeepAlivePingDelay = options.KeepAlivePingInterval ?? Timeout.InfiniteTimeSpan,
            KeepAlivePingTimeout = options.KeepAlivePingInterval ?? TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            InitialHttp2StreamWindowSize = StreamWindowSize,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        OnDemandConnect.Apply(handler);
        if (baseUri.Scheme == Uri.UriSchemeHttps)
        {
            var ssl = new SslClientAuthenticationOptions { ApplicationProtocols = [SslApplicationProtocol.Http2] };
            if (options.ClientCertificate is { } clientCertificate)
            {
                ssl.ClientCertificates = [clientCertificate];
            }
            // Always our check, also against the system roots: its refusal says why (expired, wrong CA, revoked).
            var check = new PeerCertificateCheck(options.TrustedCertificateAuthorities, options.RevocationLists);
            string peer = string.IsNullOrEmpty(options.ServerNameOverride)
                ? "the server " + baseUri.Authority
                : $"the server {baseUri.Authority} (expected name {options.ServerNameOverride})";
            ssl.RemoteCertificateValidationCallback = (_, certificate, presentedChain, errors) => check.Validate(certificate, presentedChain, errors, peer);
            handler.SslOptions = ssl;
        }
        return handler;
    }
}
