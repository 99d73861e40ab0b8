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

    /// <summary>mysqld's directory (data dir, socket, error log).</summary>
    public required string MySqlDirectory { get; init; }
}
