using System.Globalization;
using System.Text;

namespace Vtorc.Replication;

/// <summary>
/// An immutable MariaDB GTID position: for each replication domain, the last GTID applied
/// (<c>domain-server-sequence</c>, one per domain, written sorted by domain).
/// </summary>
/// <remarks>
/// A MariaDB position is a per-domain high-water mark: it says "everything in domain d up to sequence s", so it
/// cannot express holes, and the server id only records who wrote the last transaction. Containment therefore
/// compares sequences per domain and ignores server ids; <see cref="Subtract"/> and errant-transaction questions
/// can only be answered as "a domain, or a sequence beyond the other side's, that the other side does not have"
/// — which transactions below the other side's mark differ cannot be known from positions alone.
/// </remarks>
public sealed class MariaDbGtidPosition : IEquatable<MariaDbGtidPosition>
{
    public static MariaDbGtidPosition Empty { get; } = new([]);

    private readonly MariaDbGtid[] _gtids; // sorted by domain, one per domain
    private string? _text;

    private MariaDbGtidPosition(MariaDbGtid[] gtids) => _gtids = gtids;

    /// <summary>Builds a position; throws <see cref="ArgumentException"/> when a domain appears twice.</summary>
    public static MariaDbGtidPosition Create(IEnumerable<MariaDbGtid> gtids)
    {
        ArgumentNullException.ThrowIfNull(gtids);
        var array = gtids.ToArray();
        Array.Sort(array, static (a, b) => a.Domain.CompareTo(b.Domain));
        for (int i = 1; i < array.Length; i++)
        {
            if (array[i].Domain == array[i - 1].Domain)
            {
                throw new ArgumentException($"MariaDB domain {array[i].Domain} appears twice ({array[i - 1]} and {array[i]}).", nameof(gtids));
            }
        }
        return array.Length == 0 ? Empty : new MariaDbGtidPosition(array);
    }

    /// <summary>Parses <c>domain-server-sequence[,…]</c> (without the "MariaDB/" prefix); "" is the empty position.</summary>
    /// <exception cref="PositionParseException">The text is malformed; the message quotes it.</exception>
    public static MariaDbGtidPosition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseCore(text, 0, out var position, out var problem))
        {
            throw new PositionParseException(text, problem!);
        }
        return position!;
    }

    public static bool TryParse(string text, out MariaDbGtidPosition? position, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParseCore(text, 0, out position, out var problem))
        {
            error = null;
            return true;
        }
        error = new PositionParseException(text, problem!).Message;
        return false;
    }

    internal static bool TryParseCore(string input, int start, out MariaDbGtidPosition? position, out string? problem)
    {
        position = null;
        if (input.AsSpan(start).IsWhiteSpace())
        {
            position = Empty;
            problem = null;
            return true;
        }
        var gtids = new List<MariaDbGtid>();
        int cursor = start;
        while (true)
        {
            int comma = input.IndexOf(',', cursor);
            int end = comma < 0 ? input.Length : comma;
            int from = cursor;
            while (from < end && char.IsWhiteSpace(input[from]))
            {
                from++;
            }
            while (end > from && char.IsWhiteSpace(input[end - 1]))
            {
                end--;
            }
            if (from == end)
            {
                problem = $"empty MariaDB GTID element at offset {from} (two commas in a row, or a leading/trailing comma)";
                return false;
            }
            if (!TryParseGtid(input, from, end, out var gtid, out problem))
            {
                return false;
            }
            foreach (var seen in gtids)
            {
                if (seen.Domain == gtid.Domain)
                {
                    problem = $"MariaDB domain {gtid.Domain} appears twice ('{seen}' and '{input[from..end]}' at offset {from}); a position has one GTID per domain";
                    return false;
                }
            }
            gtids.Add(gtid);
            if (comma < 0)
            {
                break;
            }
            cursor = comma + 1;
        }
        gtids.Sort(static (a, b) => a.Domain.CompareTo(b.Domain));
        position = new MariaDbGtidPosition(gtids.ToArray());
        problem = null;
        return true;
    }

    private static bool TryParseGtid(string input, int from, int to, out MariaDbGtid gtid, out string? problem)
    {
        gtid = default;
        string element = input[from..to];
        int firstDash = input.IndexOf('-', from, to - from);
        int secondDash = firstDash < 0 ? -1 : input.IndexOf('-', firstDash + 1, to - firstDash - 1);
        if (secondDash < 0 || input.IndexOf('-', secondDash + 1, to - secondDash - 1) >= 0)
        {
            problem = $"MariaDB GTID '{element}' at offset {from} is not domain-server-sequence (three numbers separated by '-')";
            return false;
        }
        if (!TryParseNumber(input, from, firstDash, element, "domain", uint.MaxValue, out ulong domain, out problem)
            || !TryParseNumber(input, firstDash + 1, secondDash, element, "server id", uint.MaxValue, out ulong server, out problem)
            || !TryParseNumber(input, secondDash + 1, to, element, "sequence", ulong.MaxValue, out ulong sequence, out problem))
        {
            return false;
        }
        gtid = new MariaDbGtid((uint)domain, (uint)server, sequence);
        problem = null;
        return true;
    }

    private static bool TryParseNumber(string input, int from, int to, string element, string what, ulong max, out ulong value, out string? problem)
    {
        value = 0;
        if (from == to)
        {
            problem = $"MariaDB GTID '{element}' has an empty {what} at offset {from}";
            return false;
        }
        for (int i = from; i < to; i++)
        {
            char c = input[i];
            if (c is < '0' or > '9')
            {
                problem = $"MariaDB GTID '{element}' has '{c}' in its {what} at offset {i} where a digit is expected";
                return false;
            }
            uint digit = (uint)(c - '0');
            if (value > (max - digit) / 10)
            {
                problem = $"{what} '{input[from..to]}' at offset {from} in MariaDB GTID '{element}' is larger than {max.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }
            value = value * 10 + digit;
        }
        problem = null;
        return true;
    }

    public bool IsEmpty => _gtids.Length == 0;

    /// <summary>The GTIDs, one per domain, sorted by domain.</summary>
    public IReadOnlyList<MariaDbGtid> Gtids => Array.AsReadOnly(_gtids);

    public MariaDbGtid? ForDomain(uint domain)
    {
        int index = IndexOf(domain);
        return index < 0 ? null : _gtids[index];
    }

    /// <summary>For every domain of <paramref name="other"/>, this has the domain with a sequence at least as high (server ids ignored).</summary>
    public bool Contains(MariaDbGtidPosition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var gtid in other._gtids)
        {
            int index = IndexOf(gtid.Domain);
            if (index < 0 || _gtids[index].Sequence < gtid.Sequence)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Per-domain maximum; on equal sequences this position's server id is kept.</summary>
    public MariaDbGtidPosition Union(MariaDbGtidPosition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }
        if (IsEmpty)
        {
            return other;
        }
        var result = new List<MariaDbGtid>(_gtids.Length + other._gtids.Length);
        int i = 0, j = 0;
        while (i < _gtids.Length || j < other._gtids.Length)
        {
            if (j == other._gtids.Length || (i < _gtids.Length && _gtids[i].Domain < other._gtids[j].Domain))
            {
                result.Add(_gtids[i++]);
            }
            else if (i == _gtids.Length || other._gtids[j].Domain < _gtids[i].Domain)
            {
                result.Add(other._gtids[j++]);
            }
            else
            {
                result.Add(other._gtids[j].Sequence > _gtids[i].Sequence ? other._gtids[j] : _gtids[i]);
                i++;
                j++;
            }
        }
        return new MariaDbGtidPosition(result.ToArray());
    }

    /// <summary>
    /// The GTIDs of this position that <paramref name="other"/> does not contain: domains the other lacks, and
    /// domains where this sequence is higher. Each kept entry means "transactions after the other's mark, up
    /// to this one"; see the type remarks for what a high-water mark cannot say.
    /// </summary>
    public MariaDbGtidPosition Subtract(MariaDbGtidPosition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<MariaDbGtid>();
        foreach (var gtid in _gtids)
        {
            var theirs = other.ForDomain(gtid.Domain);
            if (theirs is null || theirs.Value.Sequence < gtid.Sequence)
            {
                result.Add(gtid);
            }
        }
        return result.Count == _gtids.Length ? this : result.Count == 0 ? Empty : new MariaDbGtidPosition(result.ToArray());
    }

    private int IndexOf(uint domain)
    {
        for (int i = 0; i < _gtids.Length; i++)
        {
            if (_gtids[i].Domain == domain)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Structural: same domains with the same server ids and sequences.</summary>
    public bool Equals(MariaDbGtidPosition? other) =>
        other is not null && (ReferenceEquals(this, other) || _gtids.AsSpan().SequenceEqual(other._gtids));

    public override bool Equals(object? obj) => Equals(obj as MariaDbGtidPosition);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var gtid in _gtids)
        {
            hash.Add(gtid);
        }
        return hash.ToHashCode();
    }

    /// <summary>Canonical text <c>0-1-100,1-2-50</c> sorted by domain; "" when empty.</summary>
    public override string ToString() => _text ??= Format();

    private string Format()
    {
        var builder = new StringBuilder();
        for (int i = 0; i < _gtids.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            builder.Append(_gtids[i].Domain).Append('-').Append(_gtids[i].Server).Append('-').Append(_gtids[i].Sequence);
        }
        return builder.ToString();
    }
}
