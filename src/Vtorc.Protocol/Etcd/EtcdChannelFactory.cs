using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Vtorc.Protocol.Rpc;

namespace Vtorc.Protocol.Etcd;

/// <summary>
/// Builds the grpc-dotnet channel for one endpoint (docs/etcd-client.md, "Connections"), with mutual TLS when cert
/// and key are configured (as go/vt/topo/etcd2topo/server.go does).
/// </summary>
internal static class EtcdChannelFactory
{
    public static GrpcChannel Create(EtcdEndpoint endpoint, EtcdClientOptions options) =>
        // The transport is the one we use towards tablets (one connection, dialled on demand, no PINGs unless
        // configured, 1 MiB stream windows so large ranges do not stall). No service config, hence no retries by
        // the channel: retrying is EtcdClient.WithFailoverAsync's decision, because a write must not be repeated
        // when it may have been applied.
        RpcChannels.Create(endpoint.Address, new RpcChannelOptions
        {
            ConnectTimeout = options.DialTimeout,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxReceiveMessageSize,
            KeepAlivePingInterval = options.KeepAlivePingInterval,
            ClientCertificate = options.UsesTls ? LoadClientCertificate(options.TlsCertPath!, options.TlsKeyPath!) : null,
            // The server certificate must chain to the given CA; its name is still checked against the endpoint.
            TrustedCertificateAuthorities = options.UsesTls && !string.IsNullOrEmpty(options.TlsCaPath) ? LoadCa(options.TlsCaPath) : null,
        });

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
