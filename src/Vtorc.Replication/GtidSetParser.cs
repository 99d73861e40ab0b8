using System.Globalization;

namespace Vtorc.Replication;

/// <summary>
/// Parses the MySQL56 GTID set syntax: comma-separated <c>uuid:interval[:interval…]</c>, interval <c>N</c> or
/// <c>N-M</c> with 1 ≤ N. A reversed interval (M &lt; N, e.g. <c>8-7</c>) is dropped, as MySQL and Vitess
/// (ParseMysql56GTIDSet in go/mysql/replication/mysql56_gtid_set.go) read it, and a UUID left without intervals is
/// dropped with it. Whitespace (including newlines, as MySQL prints <c>,\n</c>) around each element is
/// ignored; a UUID may appear in several elements. Problems are reported with the character offset inside the
/// whole input so that callers parsing a longer string (a "MySQL56/…" position) can point at the right place.
/// </summary>
internal static class GtidSetParser
{
    /// <summary>Parses <paramref name="input"/> from <paramref name="start"/> to its end.</summary>
    public static bool TryParse(string input, int start, out GtidSet? set, out string? problem)
    {
        set = null;
        if (input.AsSpan(start).IsWhiteSpace())
        {
            set = GtidSet.Empty;
            problem = null;
            return true;
        }

        var uuids = new List<ServerUuid>();
        var runs = new List<GtidInterval[]>();
        var buffer = new List<GtidInterval>(16);
        int position = start;
        while (true)
        {
            int comma = input.IndexOf(',', position);
            int elementEnd = comma < 0 ? input.Length : comma;
            if (!TryParseElement(input, position, elementEnd, buffer, out var uuid, out var intervals, out problem))
            {
                return false;
            }
            if (intervals.Length != 0)
            {
                uuids.Add(uuid);
                runs.Add(intervals);
            }
            if (comma < 0)
            {
                break;
            }
            position = comma + 1;
        }
        set = GtidSet.FromParsedElements(uuids, runs);
        problem = null;
        return true;
    }

    private static bool TryParseElement(string input, int from, int to, List<GtidInterval> buffer,
        out ServerUuid uuid, out GtidInterval[] intervals, out string? problem)
    {
        uuid = default;
        intervals = [];
        while (from < to && char.IsWhiteSpace(input[from]))
        {
            from++;
        }
        while (to > from && char.IsWhiteSpace(input[to - 1]))
        {
            to--;
        }
        if (from == to)
        {
            problem = $"empty GTID set element at offset {from} (two commas in a row, or a leading/trailing comma)";
            return false;
        }
        int colon = input.IndexOf(':', from, to - from);
        if (colon < 0)
        {
            problem = $"element '{input[from..to]}' at offset {from} has no ':' between the UUID and its intervals";
            return false;
        }
        if (!ServerUuid.TryParse(input.AsSpan(from, colon - from), out uuid, out var uuidProblem))
        {
            problem = $"bad UUID '{input[from..colon]}' at offset {from}: {uuidProblem}";
            return false;
        }

        buffer.Clear();
        int position = colon + 1;
        while (true)
        {
            if (!TryParseInterval(input, ref position, to, from, out var interval, out bool reversed, out problem))
            {
                return false;
            }
            if (!reversed)
            {
                buffer.Add(interval);
            }
            if (position == to)
            {
                break;
            }
            position++; // the ':' before the next interval
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer);
        int count = IntervalAlgebra.Normalize(span);
        intervals = span[..count].ToArray();
        problem = null;
        return true;
    }

    /// <summary>
    /// Reads <c>N</c> or <c>N-M</c> at <paramref name="position"/> in one pass and leaves <paramref name="position"/> on
    /// the following ':' or at <paramref name="to"/>. Text for messages is cut only on failure. A well-formed but
    /// reversed interval is not an error: <paramref name="reversed"/> says to drop it.
    /// </summary>
    private static bool TryParseInterval(string input, ref int position, int to, int elementFrom, out GtidInterval interval, out bool reversed,
        out string? problem)
    {
        interval = default;
        reversed = false;
        int from = position;
        if (from == to || input[from] == ':')
        {
            problem = $"empty interval at offset {from} in element '{input[elementFrom..to]}'";
            return false;
        }
        if (!TryParseSequence(input, ref position, to, from, out long start, out problem))
        {
            return false;
        }
        long end = start;
        if (position < to && input[position] == '-')
        {
            position++;
            if (!TryParseSequence(input, ref position, to, from, out end, out problem))
            {
                return false;
            }
        }
        if (position < to && input[position] != ':')
        {
            problem = $"interval '{IntervalText(input, from, to)}' has '{input[position]}' at offset {position} where a digit is expected (intervals are N or N-M)";
            return false;
        }
        if (start == 0)
        {
            problem = $"interval '{IntervalText(input, from, to)}' at offset {from} starts at 0; GTID sequence numbers start at 1";
            return false;
        }
        if (end < start)
        {
            reversed = true;
            problem = null;
            return true;
        }
        interval = new GtidInterval(start, end);
        problem = null;
        return true;
    }

    private static bool TryParseSequence(string input, ref int position, int to, int intervalFrom, out long value, out string? problem)
    {
        const long LimitBeforeLastDigit = long.MaxValue / 10; // 922337203685477580
        const int LargestLastDigit = (int)(long.MaxValue % 10); // 7
        value = 0;
        int from = position;
        while (position < to)
        {
            int digit = input[position] - '0';
            if ((uint)digit > 9)
            {
                break;
            }
            if (value >= LimitBeforeLastDigit && (value > LimitBeforeLastDigit || digit > LargestLastDigit))
            {
                int numberEnd = position;
                while (numberEnd < to && char.IsAsciiDigit(input[numberEnd]))
                {
                    numberEnd++;
                }
                problem = $"number '{input[from..numberEnd]}' at offset {from} is larger than {long.MaxValue.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }
            value = value * 10 + digit;
            position++;
        }
        if (position == from)
        {
            if (position == to || input[position] is ':' or '-')
            {
                problem = $"interval '{IntervalText(input, intervalFrom, to)}' has an empty number at offset {from}";
            }
            else
            {
                problem = $"interval '{IntervalText(input, intervalFrom, to)}' has '{input[position]}' at offset {position} where a digit is expected (intervals are N or N-M)";
            }
            return false;
        }
        problem = null;
        return true;
    }

    private static string IntervalText(string input, int from, int to)
    {
        int end = input.IndexOf(':', from, to - from);
        return input[from..(end < 0 ? to : end)];
    }
}
