namespace Vtorc.Replication;

/// <summary>
/// What one successful poll of a MySQL56 tablet provides to errant-GTID detection (detectErrantGTIDs in
/// go/vt/vtorc/inst/instance_dao.go). The caller resolves the facts that need topology or host matching (is this the
/// shard primary, is the source the shard primary); <see cref="ErrantGtids.Detect"/> applies the rule.
/// </summary>
public sealed record ErrantGtidObservation
{
    /// <summary>This tablet's executed GTID set.</summary>
    public required GtidSet Executed { get; init; }

    /// <summary>This tablet's own server UUID.</summary>
    public required ServerUuid ServerUuid { get; init; }

    /// <summary>Its replication ancestry (step 1, see <see cref="ErrantGtids.BuildAncestry"/>): ancestors' UUIDs and its own.</summary>
    public required IReadOnlyList<ServerUuid> Ancestry { get; init; }

    public bool IsCoPrimary { get; init; }

    /// <summary>This tablet is the primary named in the shard record (step 2: it never has errant GTIDs).</summary>
    public bool IsShardPrimary { get; init; }

    /// <summary>This tablet is configured to replicate from some source.</summary>
    public bool ReplicatesFromSomeone { get; init; }

    /// <summary>The source's server UUID as the tablet reports it; removed from the comparison base.</summary>
    public ServerUuid? SourceUuid { get; init; }

    /// <summary>The executed set last stored for the instance this tablet replicates from; null when unknown.</summary>
    public GtidSet? SourceExecuted { get; init; }

    /// <summary>The tablet's source is the shard primary (matched by source UUID, else host:port).</summary>
    public bool SourceIsShardPrimary { get; init; }

    /// <summary>The shard primary's stored executed set; null when its instance row does not exist.</summary>
    public GtidSet? ShardPrimaryExecuted { get; init; }

    /// <summary>The shard primary is itself replicating from someone.</summary>
    public bool ShardPrimaryReplicates { get; init; }
}
