using System.Security.Cryptography.X509Certificates;

namespace Vtorc.Protocol.Rpc;

/// <summary>Transport settings of one client channel made by <see cref="RpcChannels.Create"/>.</summary>
public sealed record RpcChannelOptions
{
    /// <summary>16 MiB, as Vitess's <c>--grpc-max-message-size</c> default.</summary>
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    /// <summary>Largest message accepted from the server; larger ones fail the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>Largest message the client will send; larger ones fail locally with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>Time allowed to open the TCP (and TLS) connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Client certificate (with private key) offered in TLS; only for https:// targets.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>When set, the server certificate must chain to one of these (instead of the system roots).</summary>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; init; }

    /// <summary>When set, a server certificate (or one of its issuers) listed in one of these is refused.</summary>
    public IReadOnlyList<CertificateRevocationList>? RevocationLists { get; init; }

    /// <summary>
    /// HTTP/2 keepalive PINGs while calls are open, at this interval (and as their timeout); null sends none, which
    /// Vitess tablets require (docs/wire-format.md, "Reaching a tablet").
    /// </summary>
    public TimeSpan? KeepAlivePingInterval { get; init; }

    /// <summary>Name used for SNI, :authority and checking the server certificate, instead of the host of the address.</summary>
    public string? ServerNameOverride { get; init; }
}
