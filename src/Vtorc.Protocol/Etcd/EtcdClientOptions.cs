namespace Vtorc.Protocol.Etcd;

/// <summary>How an <see cref="EtcdClient"/> reaches etcd (docs/wire-format.md, "Topology in etcd").</summary>
public sealed record EtcdClientOptions
{
    /// <summary>Each one "host:port", "http://host:port" or "https://host:port"; tried in order on fail-over.</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }

    /// <summary>Time allowed to open a connection to one endpoint before moving to the next.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of a call when the caller gives none.</summary>
    public TimeSpan DefaultCallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest response accepted; bigger ones fail with <see cref="EtcdErrorKind.ResourceExhausted"/>.</summary>
    public int MaxReceiveMessageSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Interval of HTTP/2 keepalive PINGs while calls (watches, lease keepalives) are open; null (the default) sends
    /// none. At least one second; etcd refuses pings more frequent than its --grpc-keepalive-min-time (5 s by default).
    /// </summary>
    public TimeSpan? KeepAlivePingInterval { get; init; }

    /// <summary>Client certificate (PEM). TLS is used only when both this and <see cref="TlsKeyPath"/> are set.</summary>
    public string? TlsCertPath { get; init; }

    /// <summary>Client private key (PEM).</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>CA bundle (PEM) that must have signed the server certificate; system roots when absent.</summary>
    public string? TlsCaPath { get; init; }

    /// <summary>Mutual TLS is on only when both cert and key are given; a CA alone does not turn it on (Vitess rule).</summary>
    public bool UsesTls => !string.IsNullOrEmpty(TlsCertPath) && !string.IsNullOrEmpty(TlsKeyPath);

    /// <summary>Options for one or more endpoints given as a comma-separated list, as Vitess flags and CellInfo carry them.</summary>
    public static EtcdClientOptions FromAddressList(string commaSeparated)
    {
        ArgumentNullException.ThrowIfNull(commaSeparated);
        var endpoints = commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (endpoints.Length == 0)
        {
            throw new ArgumentException($"etcd address list \"{commaSeparated}\" names no endpoint", nameof(commaSeparated));
        }
        return new EtcdClientOptions { Endpoints = endpoints };
    }
}
