using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Vtorc.Protocol.Etcd;

/// <summary>
/// Builds the grpc-dotnet channel for one endpoint (docs/etcd-client.md, "Connections"), with mutual TLS when cert
/// and key are configured (as go/vt/topo/etcd2topo/server.go does).
/// </summary>
internal static class EtcdChannelFactory
{
    public static GrpcChannel Create(EtcdEndpoint endpoint, EtcdClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // One connection per endpoint, as the Go client keeps: watches, keepalives and unary calls share it.
            EnableMultipleHttp2Connections = false,
            // No keepalive PINGs unless the operator asked for them (docs/etcd-client.md, "Connections").
            KeepAlivePingDelay = options.KeepAlivePingInterval ?? Timeout.InfiniteTimeSpan,
            KeepAlivePingTimeout = options.KeepAlivePingInterval ?? TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            // A fixed 1 MiB stream window keeps large ranges from stalling on window updates when the process
            // has turned off dynamic window sizing (whose RTT measurement would send PINGs).
            InitialHttp2StreamWindowSize = 1024 * 1024,
            ConnectTimeout = options.DialTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        Rpc.OnDemandConnect.Apply(handler);
        if (options.UsesTls)
        {
            handler.SslOptions = TlsOptions(options);
        }
        // No service config, hence no retries by the channel: retrying is EtcdClient.WithFailoverAsync's decision,
        // because a write must not be repeated when it may have been applied.
        return GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxReceiveMessageSize,
        });
    }

    private static SslClientAuthenticationOptions TlsOptions(EtcdClientOptions options)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificates = [LoadClientCertificate(options.TlsCertPath!, options.TlsKeyPath!)],
        };
        if (!string.IsNullOrEmpty(options.TlsCaPath))
        {
            // The server certificate must chain to the given CA; its name is still checked against the endpoint.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(LoadCa(options.TlsCaPath));
            ssl.CertificateChainPolicy = policy;
        }
        return ssl;
    }

    private static X509Certificate2 LoadClientCertificate(string certPath, string keyPath)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"etcd TLS client certificate \"{certPath}\" with key \"{keyPath}\" could not be loaded: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadCa(string caPath)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(caPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"etcd TLS CA file \"{caPath}\" could not be loaded: {e.Message}", e);
        }
        if (collection.Count == 0)
        {
            throw new ArgumentException($"etcd TLS CA file \"{caPath}\" holds no certificate");
        }
        return collection;
    }
}
