namespace Vtorc.Cli.Local;

/// <summary>
/// One tablet of a local cluster as seen right now: its type in the topology, whether its mysqld and agent run, and what
/// mysqld says about read-only and replication. Null fields are what could not be read (mysqld down, topo unreachable).
/// </summary>
internal sealed record TabletObservation
{
    public required string Alias { get; init; }

    public required string Shard { get; init; }

    /// <summary>The tablet type in the topology ("PRIMARY", "REPLICA", …), or null when it could not be read.</summary>
    public string? TopoType { get; init; }

    public int? MySqldPid { get; init; }

    public bool MySqldAlive { get; init; }

    public int? AgentPid { get; init; }

    public bool AgentAlive { get; init; }

    public bool? ReadOnly { get; init; }

    /// <summary>The alias of the tablet whose mysqld this one replicates from ("host:port" when it is none of ours).</summary>
    public string? ReplicatesFrom { get; init; }

    public string? IoThread { get; init; }

    public string? SqlThread { get; init; }

    /// <summary>Seconds_Behind_Master as the server prints it (empty/NULL when a thread is stopped).</summary>
    public string? LagSeconds { get; init; }

    /// <summary>Why mysqld could not be queried, when it could not.</summary>
    public string? MySqlError { get; init; }

    public bool IsReplicatingFrom(string alias) => ReplicatesFrom == alias && IoThread == "Yes" && SqlThread == "Yes";
}
