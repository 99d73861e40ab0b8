using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vtorc.Protocol.Grpc;

namespace Vtorc.Protocol.Etcd;

/// <summary>Builds the gRPC channel for one endpoint, with mutual TLS when cert and key are configured (as
/// go/vt/topo/etcd2topo/server.go does).</summary>
internal static class EtcdChannelFactory
{
    public static GrpcChannel Create(EtcdEndpoint endpoint, EtcdClientOptions options)
    {
        var channelOptions = new GrpcChannelOptions
        {
            ConnectTimeout = options.DialTimeout,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
        };
        if (options.UsesTls)
        {
            channelOptions = channelOptions with
            {
                ClientCertificate = LoadClientCertificate(options.TlsCertPath!, options.TlsKeyPath!),
                TrustedCertificateAuthorities = string.IsNullOrEmpty(options.TlsCaPath) ? null : LoadCa(options.TlsCaPath),
            };
        }
        return GrpcChannel.Create(endpoint.Address.ToString().TrimEnd('/'), channelOptions);
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
