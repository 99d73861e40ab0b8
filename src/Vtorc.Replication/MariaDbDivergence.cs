namespace Vtorc.Replication;

/// <summary>
/// Which of a MariaDB server's transactions put it on a history of its own (docs/reliability.md, "Diverged MariaDB
/// servers"), from binlog states (<see cref="MariaDbBinlogState"/>). A MariaDB position cannot answer this: after a
/// failover the new primary writes sequences above the old primary's, so an old primary that took one write of its
/// own after it was replaced looks "behind" while it holds a transaction nobody else has.
/// </summary>
public static class MariaDbDivergence
{
    /// <summary>
    /// The GTIDs of <paramref name="server"/> the shard primary never had: for each writer (domain, server_id), a
    /// last sequence beyond the primary's for that writer. The primary's own writes are left out: an observation of
    /// the primary a poll older than the server's would otherwise make its newest writes look errant.
    /// </summary>
    public static IReadOnlyList<MariaDbGtid> AgainstPrimary(MariaDbBinlogState server, MariaDbBinlogState primary, uint primaryServerId)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(primary);
        return server.NotIn(primary).Where(g => primaryServerId == 0 || g.Server != primaryServerId).ToArray();
    }

    /// <summary>
    /// ERS's question for a MariaDB candidate: its GTIDs that no other candidate has (for that writer, no other
    /// candidate reached the sequence). Writes of the replication sources (the dead primary) are legitimate even when
    /// this candidate alone received them, so the writers in <paramref name="sourceServerIds"/> are discounted.
    /// Empty when there is nobody to compare with.
    /// </summary>
    public static IReadOnlyList<MariaDbGtid> NotPresentElsewhere(MariaDbBinlogState candidate, IReadOnlyCollection<MariaDbBinlogState> others,
        IReadOnlySet<uint> sourceServerIds)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(sourceServerIds);
        if (others.Count == 0)
        {
            return [];
        }
        var unique = new List<MariaDbGtid>();
        foreach (var gtid in candidate.Gtids)
        {
            if (sourceServerIds.Contains(gtid.Server))
            {
                continue;
            }
            if (!others.Any(o => o.SequenceOf(gtid.Domain, gtid.Server) is { } theirs && theirs >= gtid.Sequence))
            {
                unique.Add(gtid);
            }
        }
        return unique;
    }
}
