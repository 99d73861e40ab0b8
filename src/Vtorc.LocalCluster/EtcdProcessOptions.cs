namespace Vtorc.LocalCluster;

/// <summary>How to start a throw-away single-member etcd on loopback.</summary>
public sealed record EtcdProcessOptions
{
    /// <summary>The etcd binary; Debian's etcd-server package installs it here.</summary>
    public string ExecutablePath { get; init; } = "/usr/bin/etcd";

    /// <summary>
    /// The address etcd listens on (clients and peer); loopback by default. The chaos suite uses the host's address on
    /// its bridge so that agents inside network namespaces reach it.
    /// </summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Member name (--name).</summary>
    public string Name { get; init; } = "vtorc-test";

    /// <summary>How long etcd may take to answer its first request.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Raft timing. Short values elect the single member quickly and shrink the minimum lease TTL
    /// (about 1.5 × election timeout), which lets tests use 2 s leases.
    /// </summary>
    public int HeartbeatIntervalMs { get; init; } = 50;

    public int ElectionTimeoutMs { get; init; } = 500;

    /// <summary>Where the temp directory is created; the system temp dir when null.</summary>
    public string? ParentDirectory { get; init; }

    /// <summary>When set, clients must use https and present a certificate signed by <see cref="EtcdTlsFiles.CaPath"/>.</summary>
    public EtcdTlsFiles? ClientTls { get; init; }

    /// <summary>Extra command-line arguments appended as given.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
