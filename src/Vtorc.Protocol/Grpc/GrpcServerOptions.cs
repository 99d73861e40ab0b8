using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Vtorc.Protocol.Grpc;

/// <summary>Settings of one <see cref="GrpcServer"/>.</summary>
public sealed record GrpcServerOptions
{
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port; read <see cref="GrpcServer.Port"/> after start.</summary>
    public int Port { get; init; }

    /// <summary>When set the endpoint speaks TLS (ALPN h2); otherwise plaintext h2c.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Ask for and require a client certificate (TLS only).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>When set with <see cref="RequireClientCertificate"/>, client certificates must chain to one of these.</summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    public int MaxReceiveMessageSize { get; init; } = GrpcChannelOptions.DefaultMaxMessageSize;

    public int MaxSendMessageSize { get; init; } = GrpcChannelOptions.DefaultMaxMessageSize;

    /// <summary>Where the server logs handler failures; Kestrel's own logging stays off.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
