using Topodata;
using Vtorc.Replication;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The decision behind PrimaryBehindReplica and the guard of every repair that makes a primary writable
/// (docs/reliability.md, "A restarted primary behind its replica"): which replicas of the shard hold transactions of the
/// primary's own replication stream that a read-only primary lacks. Pure: it reads only the observations it is given.
/// </summary>
/// <remarks>
/// Only a read-only primary is judged. It writes nothing (bar privileged clients), so a replica observation newer than
/// the primary's cannot legitimately be ahead of it; a writable primary's newest writes would be on a replica polled a
/// moment after it and look missing. A read-only primary is also the one a repair is about to make writable, which is
/// where the danger lies. Only REPLICA and RDONLY tablets are compared: they are the ones an emergency reparent elects
/// or takes the missing transactions from.
/// </remarks>
internal static class PrimaryBehindReplicas
{
    /// <summary>
    /// Every REPLICA/RDONLY tablet of <paramref name="snapshot"/> whose last observation holds transactions the
    /// read-only primary <paramref name="primaryAlias"/> lacks; reachable or not (see
    /// <see cref="ReplicaAheadOfPrimary.ReplicaReachable"/>). Empty when the primary was never observed or is writable.
    /// </summary>
    public static IReadOnlyList<ReplicaAheadOfPrimary> Find(ShardSnapshot snapshot, string primaryAlias)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(primaryAlias);
        if (!snapshot.Observations.TryGetValue(primaryAlias, out var primary) || !primary.ReadOnly)
        {
            return [];
        }
        List<ReplicaAheadOfPrimary>? found = null;
        foreach (var tablet in snapshot.Tablets)
        {
            if (tablet.Alias == primaryAlias || tablet.Type is not (TabletType.Replica or TabletType.Rdonly)
                || !snapshot.Observations.TryGetValue(tablet.Alias, out var replica))
            {
                continue;
            }
            if (Compare(primary, replica) is { } ahead)
            {
                (found ??= []).Add(ahead);
            }
        }
        return found ?? (IReadOnlyList<ReplicaAheadOfPrimary>)[];
    }

    /// <summary>
    /// What <paramref name="replica"/> holds of the primary's stream that the read-only <paramref name="primary"/>
    /// lacks; null when nothing, when the primary is writable, or when the two cannot be compared (different or
    /// unreadable position flavors). MariaDB compares binlog states when both report one, else positions.
    /// </summary>
    public static ReplicaAheadOfPrimary? Compare(InstanceObservation primary, InstanceObservation replica)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(replica);
        if (!primary.ReadOnly)
        {
            return null;
        }
        if (MariaDbBinlogState.TryParse(replica.GtidBinlogState) is { } replicaState
            && MariaDbBinlogState.TryParse(primary.GtidBinlogState) is { } primaryState)
        {
            return FromMariaDb(primary, replica, MissingOnPrimary.MariaDb(replicaState, replica.ServerId, primaryState), primaryState.Gtids);
        }
        var replicaPosition = Parse(replica.ExecutedGtidSet);
        var primaryPosition = Parse(primary.ExecutedGtidSet);
        if (replicaPosition?.MariaDb is { } replicaMariaDb && primaryPosition?.MariaDb is { } primaryMariaDb)
        {
            return FromMariaDb(primary, replica, MissingOnPrimary.MariaDb(replicaMariaDb, replica.ServerId, primaryMariaDb), primaryMariaDb.Gtids);
        }
        if (replicaPosition?.GtidSet is { } replicaSet && primaryPosition?.GtidSet is { } primarySet)
        {
            ServerUuid? own = ServerUuid.TryParse(replica.ServerUuid, out var uuid) ? uuid : null;
            var missing = MissingOnPrimary.MySql(replicaSet, own, primarySet);
            return missing.IsEmpty ? null : Found(primary, replica, missing.ToString(), primarySet.IsEmpty ? "(nothing)" : primarySet.ToString());
        }
        return null;
    }

    private static ReplicaAheadOfPrimary? FromMariaDb(InstanceObservation primary, InstanceObservation replica, IReadOnlyList<MariaDbGtid> missing,
        IReadOnlyList<MariaDbGtid> primaryGtids)
    {
        if (missing.Count == 0)
        {
            return null;
        }
        var ends = missing.Select(g => g.Domain).Distinct().Select(domain =>
            MissingOnPrimary.LastInDomain(primaryGtids, domain) is { } last ? last.ToString() : $"(nothing in domain {domain})");
        return Found(primary, replica, string.Join(",", missing), string.Join(",", ends));
    }

    private static ReplicaAheadOfPrimary Found(InstanceObservation primary, InstanceObservation replica, string holds, string primaryEnd) =>
        new(replica.Alias, primary.Alias, holds, primaryEnd, replica.LastCheckSucceeded);

    private static ReplicationPosition? Parse(string position) =>
        position.Length != 0 && ReplicationPosition.TryParse(position, out var parsed, out _) ? parsed : null;
}
