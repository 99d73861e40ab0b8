namespace Vtorc.Topo;

/// <summary>
/// How to reach the topology and the time limits of its operations. Defaults are Vitess's flag defaults
/// (<c>--topo-global-root</c>, <c>--topo-etcd-lease-ttl</c>, <c>--lock-timeout</c>, <c>--remote-operation-timeout</c>).
/// </summary>
public sealed record TopoServerOptions
{
    /// <summary>Global etcd endpoints (<c>host:port</c>, <c>http://…</c>, <c>https://…</c>).</summary>
    public required IReadOnlyList<string> GlobalServerAddresses { get; init; }

    public string GlobalRoot { get; init; } = "/vitess/global";

    /// <summary>Client certificate; TLS is used only when both this and <see cref="TlsKeyFile"/> are set.</summary>
    public string? TlsCertFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>CA to verify etcd's certificate; system roots when absent.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>Time allowed for one topo read or write (Vitess <c>--remote-operation-timeout</c>).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time to establish a connection to an etcd endpoint.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Lease TTL of the locks we take, whole seconds (<c>--topo-etcd-lease-ttl</c>).</summary>
    public TimeSpan LockTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed to acquire a lock (<c>--lock-timeout</c>).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Concurrent Get/List/ListDir per connection (<c>--topo-read-concurrency</c>).</summary>
    public int ReadConcurrency { get; init; } = 32;

    /// <summary>
    /// Largest etcd response accepted; a bigger list answer fails as ResourceExhausted and the lists fall back
    /// to one read per record, as Vitess does. Null keeps the etcd client's default.
    /// </summary>
    public int? MaxReceiveMessageSize { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (GlobalServerAddresses is null || GlobalServerAddresses.Count == 0 || GlobalServerAddresses.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("the global topo server address list is empty (set --topo-global-server-address)", nameof(GlobalServerAddresses));
        }

        if (string.IsNullOrEmpty(GlobalRoot))
        {
            throw new ArgumentException("the global topo root is empty (set --topo-global-root)", nameof(GlobalRoot));
        }

        Positive(OperationTimeout, nameof(OperationTimeout));
        Positive(DialTimeout, nameof(DialTimeout));
        Positive(LockTimeout, nameof(LockTimeout));
        if (LockTtl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"lock TTL {LockTtl} is below one second; etcd leases are in whole seconds", nameof(LockTtl));
        }

        if (ReadConcurrency < 1)
        {
            throw new ArgumentException($"read concurrency {ReadConcurrency} must be at least 1", nameof(ReadConcurrency));
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} {value} must be positive", name);
        }
    }

    /// <summary>Parses Vitess's comma-separated endpoint list (<c>--topo-global-server-address</c>, CellInfo.server_address).</summary>
    public static IReadOnlyList<string> SplitAddresses(string addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var list = addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
        {
            throw new ArgumentException($"invalid etcd server address list \"{addresses}\": no endpoint given", nameof(addresses));
        }

        return list;
    }
}
