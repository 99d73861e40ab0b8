namespace Vtorc.LocalCluster;

/// <summary>One tablet of a local cluster: where it is in the topology and which mysqld it owns.</summary>
public sealed record LocalTabletRecord
{
    /// <summary>"cell-uid" with the uid in ten digits, as Vitess prints it.</summary>
    public required string Alias { get; init; }

    public required string Cell { get; init; }

    public required uint Uid { get; init; }

    public required string Shard { get; init; }

    /// <summary>The type the agent starts the tablet as: "replica" or "rdonly" (never promoted).</summary>
    public string TabletType { get; init; } = "replica";

    public required int MySqlPort { get; init; }

    /// <summary>
    /// The network namespace mysqld and the agent run in (started through <c>ip netns exec</c>), or null for the host's.
    /// </summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>The address mysqld binds and the agent reports (its namespace's address); loopback by default.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>mysqld's directory (data dir, socket, error log).</summary>
    public required string MySqlDirectory { get; init; }
}
