namespace Vtorc.Replication;

/// <summary>
/// Which transactions of the primary's own replication stream a replica holds and the primary does not
/// (docs/reliability.md, "A restarted primary behind its replica"). This happens when a primary crashes while commits
/// wait for a semi-sync acknowledgement: a replica already received them, and the primary's crash recovery removes them
/// from its binary log because they were never committed in its engine. Made writable again, the primary would reuse
/// those sequence numbers for other transactions. A replica's own writes (its own server_id / server_uuid) are not
/// part of this question: they make the replica diverged (errant GTIDs), not the primary behind.
/// </summary>
public static class MissingOnPrimary
{
    /// <summary>
    /// MariaDB, from binlog states: the replica's GTIDs written by someone other than the replica itself whose sequence
    /// lies beyond everything the primary's binary log holds in that domain (or in a domain the primary never had).
    /// A domain is one linear stream, so a sequence below the primary's last one is not "missing" here even when its
    /// writer differs — that is divergence, which <see cref="MariaDbDivergence"/> answers.
    /// </summary>
    /// <param name="replicaServerId">The replica's own server_id; its writes are left out (0: unknown, nothing left out).</param>
    public static IReadOnlyList<MariaDbGtid> MariaDb(MariaDbBinlogState replica, uint replicaServerId, MariaDbBinlogState primary)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(primary);
        return Beyond(replica.Gtids, replicaServerId, domain => LastInDomain(primary.Gtids, domain));
    }

    /// <summary>
    /// MariaDB, from positions only (one GTID per domain, when a side does not report its binlog state): the replica's
    /// GTID in a domain, not written by itself, beyond the primary's GTID of that domain. Less precise than
    /// <see cref="MariaDb(MariaDbBinlogState, uint, MariaDbBinlogState)"/>: a replica whose last write is its own hides
    /// what it received before.
    /// </summary>
    public static IReadOnlyList<MariaDbGtid> MariaDb(MariaDbGtidPosition replica, uint replicaServerId, MariaDbGtidPosition primary)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(primary);
        return Beyond(replica.Gtids, replicaServerId, primary.ForDomain);
    }

    /// <summary>
    /// MySQL: the replica's executed GTIDs, without those of its own server_uuid, that the primary's executed set lacks.
    /// </summary>
    public static GtidSet MySql(GtidSet replica, ServerUuid? replicaUuid, GtidSet primary)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(primary);
        var received = replicaUuid is { } own ? replica.RemoveUuid(own) : replica;
        return received.Subtract(primary);
    }

    /// <summary>The GTID with the highest sequence among <paramref name="gtids"/> in <paramref name="domain"/>.</summary>
    public static MariaDbGtid? LastInDomain(IEnumerable<MariaDbGtid> gtids, uint domain)
    {
        ArgumentNullException.ThrowIfNull(gtids);
        MariaDbGtid? last = null;
        foreach (var gtid in gtids)
        {
            if (gtid.Domain == domain && (last is not { } l || gtid.Sequence > l.Sequence))
            {
                last = gtid;
            }
        }
        return last;
    }

    private static MariaDbGtid[] Beyond(IEnumerable<MariaDbGtid> replica, uint replicaServerId, Func<uint, MariaDbGtid?> primaryLastInDomain)
    {
        var missing = new List<MariaDbGtid>();
        foreach (var gtid in replica)
        {
            if (replicaServerId != 0 && gtid.Server == replicaServerId)
            {
                continue;
            }
            if (primaryLastInDomain(gtid.Domain) is not { } theirs || theirs.Sequence < gtid.Sequence)
            {
                missing.Add(gtid);
            }
        }
        return missing.ToArray();
    }
}
