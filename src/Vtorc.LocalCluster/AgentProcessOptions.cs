namespace Vtorc.LocalCluster;

/// <summary>What <see cref="AgentProcess"/> passes to <c>vtorc tablet</c>; the MySQL accounts go into a 0600 file, never on the command line.</summary>
public sealed record AgentProcessOptions
{
    public required uint TabletUid { get; init; }

    public required string Cell { get; init; }

    public required string Keyspace { get; init; }

    public required string Shard { get; init; }

    /// <summary>--tablet-type: replica or rdonly.</summary>
    public string TabletType { get; init; } = "replica";

    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free loopback port (and picks again if another process takes it first).</summary>
    public int GrpcPort { get; init; }

    public required string MySqlHost { get; init; }

    public required int MySqlPort { get; init; }

    public required string MySqlUser { get; init; }

    public string MySqlPassword { get; init; } = "";

    public required string ReplicationUser { get; init; }

    public string ReplicationPassword { get; init; } = "";

    /// <summary>The etcd endpoint of the global topology (--topo-global-server-address).</summary>
    public required string TopoGlobalServerAddress { get; init; }

    public string TopoGlobalRoot { get; init; } = "/vitess/global";

    /// <summary>Where the credentials file and the agent's log are kept (created if missing).</summary>
    public required string Directory { get; init; }

    /// <summary>The vtorc program; null: <see cref="VtorcExecutable.Locate()"/>.</summary>
    public VtorcExecutable? Executable { get; init; }

    /// <summary>More flags of <c>vtorc tablet</c>, after the ones above (e.g. <c>--track-shard-tablet-health</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>How long start-up (process start, registration, first Ping) may take.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public string AliasText => Vtorc.Topo.TabletAliasText.Format(Cell, TabletUid);
}
