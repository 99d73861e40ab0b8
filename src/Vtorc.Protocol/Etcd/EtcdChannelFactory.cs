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
            ClientCertificate = options.UsesTls ? PemFiles.LoadCertificateWithKey(options.TlsCertPath!, options.TlsKeyPath!, "etcd TLS client certificate (--topo-etcd-tls-cert, --topo-etcd-tls-key)") : null,
            // The server certificate must chain to the given CA; its name is still checked against the endpoint.
            TrustedCertificateAuthorities = options.UsesTls && !string.IsNullOrEmpty(options.TlsCaPath) ? PemFiles.LoadCertificates(options.TlsCaPath, "etcd TLS CA (--topo-etcd-tls-ca)") : null,
        });
}
