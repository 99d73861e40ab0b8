namespace Vtorc.Replication;

/// <summary>The position of a replica's relay log: what it executed plus what its IO thread retrieved.</summary>
internal static class RelayLogPosition
{
    /// <summary>
    /// executed ∪ retrieved for a MySQL56 replica. An empty executed position counts as an empty GTID set.
    /// </summary>
    /// <exception cref="ArgumentException">The executed position is not MySQL56 (MariaDB and FilePos have no retrieved GTID set).</exception>
    public static ReplicationPosition Combine(ReplicationPosition executed, GtidSet retrieved)
    {
        ArgumentNullException.ThrowIfNull(executed);
        ArgumentNullException.ThrowIfNull(retrieved);
        return executed.Flavor switch
        {
            PositionFlavor.None => ReplicationPosition.FromGtidSet(retrieved),
            PositionFlavor.MySql56 => ReplicationPosition.FromGtidSet(executed.GtidSet!.Union(retrieved)),
            _ => throw new ArgumentException(
                $"A relay-log position combines a MySQL56 executed position with a retrieved GTID set; got \"{executed}\".", nameof(executed)),
        };
    }
}
