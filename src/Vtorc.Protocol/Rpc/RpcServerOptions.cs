using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Vtorc.Protocol.Rpc;

/// <summary>Settings of one <see cref="RpcServer"/>.</summary>
public sealed record RpcServerOptions
{
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port; read <see cref="RpcServer.Port"/> after start.</summary>
    public int Port { get; init; }

    /// <summary>When set the endpoint speaks TLS (ALPN h2); otherwise plaintext h2c.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Ask for and require a client certificate (TLS only).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>When set with <see cref="RequireClientCertificate"/>, client certificates must chain to one of these.</summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    /// <summary>When set with <see cref="RequireClientCertificate"/>, a client certificate (or issuer) listed in one of these is refused.</summary>
    public IReadOnlyList<CertificateRevocationList>? ClientCertificateRevocationLists { get; init; }

    /// <summary>When set, every call must carry the metadata of one of these users (Vitess's static auth).</summary>
    public StaticAuthUsers? StaticAuth { get; init; }

    public int MaxReceiveMessageSize { get; init; } = RpcChannelOptions.DefaultMaxMessageSize;

    public int MaxSendMessageSize { get; init; } = RpcChannelOptions.DefaultMaxMessageSize;

    /// <summary>Where the server says where it listens; Kestrel's and grpc-dotnet's own logging stays off.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
