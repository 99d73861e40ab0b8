namespace Vtorc.Replication;

/// <summary>
/// MariaDB's <c>gtid_binlog_state</c>: the last GTID the binary log holds for every (domain, server_id) pair, e.g.
/// <c>0-100-7,0-101-9</c>. Where a position keeps one GTID per domain (whoever wrote last), this keeps one per writer,
/// so a server's own transactions remain visible even when another server's sequence in the domain is higher.
/// </summary>
public sealed class MariaDbBinlogState
{
    public static MariaDbBinlogState Empty { get; } = new([]);

    private readonly MariaDbGtid[] _gtids; // sorted by domain, then server; one per pair

    private MariaDbBinlogState(MariaDbGtid[] gtids) => _gtids = gtids;

    public bool IsEmpty => _gtids.Length == 0;

    /// <summary>The GTIDs, one per (domain, server_id), sorted by domain then server_id.</summary>
    public IReadOnlyList<MariaDbGtid> Gtids => Array.AsReadOnly(_gtids);

    /// <summary>Parses <c>domain-server-sequence[,…]</c> (no flavor prefix); "" is the empty state.</summary>
    /// <exception cref="PositionParseException">The text is malformed or names a (domain, server_id) pair twice; the message quotes it.</exception>
    public static MariaDbBinlogState Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }
        var gtids = new List<MariaDbGtid>();
        foreach (var range in text.AsSpan().Split(','))
        {
            string part = text[range].Trim();
            if (part.Length == 0)
            {
                throw new PositionParseException(text, "empty element (two commas in a row, or a leading/trailing comma)");
            }
            // One element is a one-domain position; its parser gives the precise error.
            if (!MariaDbGtidPosition.TryParseCore(part, 0, out var single, out var problem) || single!.Gtids.Count != 1)
            {
                throw new PositionParseException(text, problem ?? $"'{part}' is not one MariaDB GTID domain-server-sequence");
            }
            var gtid = single.Gtids[0];
            if (gtids.Exists(g => g.Domain == gtid.Domain && g.Server == gtid.Server))
            {
                throw new PositionParseException(text, $"domain {gtid.Domain} and server_id {gtid.Server} appear twice; a binlog state has one GTID per pair");
            }
            gtids.Add(gtid);
        }
        gtids.Sort(static (a, b) => a.Domain != b.Domain ? a.Domain.CompareTo(b.Domain) : a.Server.CompareTo(b.Server));
        return gtids.Count == 0 ? Empty : new MariaDbBinlogState(gtids.ToArray());
    }

    /// <summary>Like <see cref="Parse"/>, but null for text that is empty or cannot be read.</summary>
    public static MariaDbBinlogState? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return Parse(text);
        }
        catch (PositionParseException)
        {
            return null;
        }
    }

    /// <summary>The last sequence written by <paramref name="server"/> in <paramref name="domain"/>, if this state has the pair.</summary>
    public ulong? SequenceOf(uint domain, uint server)
    {
        foreach (var gtid in _gtids)
        {
            if (gtid.Domain == domain && gtid.Server == server)
            {
                return gtid.Sequence;
            }
        }
        return null;
    }

    /// <summary>
    /// The GTIDs of this state that <paramref name="other"/> does not contain: pairs it lacks, or where its last
    /// sequence of that writer is lower. Each kept GTID means "transactions of that writer the other never had".
    /// </summary>
    public IReadOnlyList<MariaDbGtid> NotIn(MariaDbBinlogState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var missing = new List<MariaDbGtid>();
        foreach (var gtid in _gtids)
        {
            if (other.SequenceOf(gtid.Domain, gtid.Server) is not { } theirs || theirs < gtid.Sequence)
            {
                missing.Add(gtid);
            }
        }
        return missing;
    }

    public override string ToString() => string.Join(",", _gtids);
}
