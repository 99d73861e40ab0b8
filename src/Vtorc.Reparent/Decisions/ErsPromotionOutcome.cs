namespace Vtorc.Reparent.Decisions;

/// <summary>ERS step 16: whether the reparent succeeded given how many replicas accepted the new primary.</summary>
internal static class ErsPromotionOutcome
{
    /// <summary>
    /// Success once the new primary is promoted and at least one replica follows it. When every replica failed it is
    /// still a success in a shard of at most two tablets: the one failing is presumed to be the dead old primary.
    /// </summary>
    /// <param name="replicaCount">Tablets asked to replicate from the new primary.</param>
    /// <param name="replicaFailures">Of those, how many failed.</param>
    /// <param name="shardTabletCount">Tablets in the shard's tablet map, the new primary included.</param>
    /// <returns>Null on success, else the failure message.</returns>
    public static string? Evaluate(int replicaCount, int replicaFailures, int shardTabletCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicaCount);
        ArgumentOutOfRangeException.ThrowIfNegative(replicaFailures);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicaFailures, replicaCount);
        if (replicaFailures < replicaCount || shardTabletCount <= 2)
        {
            return null;
        }
        return $"{replicaCount} replica(s) failed";
    }
}
