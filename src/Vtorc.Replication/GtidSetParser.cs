using System.Globalization;

namespace Vtorc.Replication;

/// <summary>
/// Parses the MySQL56 GTID set syntax: comma-separated <c>uuid:interval[:interval…]</c>, interval <c>N</c> or
/// <c>N-M</c> with 1 ≤ N ≤ M. Whitespace (including newlines, as MySQL prints <c>,\n</c>) around each element is
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
            uuids.Add(uuid);
            runs.Add(intervals);
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
        string element = input[from..to];
        int colon = input.IndexOf(':', from, to - from);
        if (colon < 0)
        {
            problem = $"element '{element}' at offset {from} has no ':' between the UUID and its intervals";
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
            int next = input.IndexOf(':', position, to - position);
            int intervalEnd = next < 0 ? to : next;
            if (!TryParseInterval(input, position, intervalEnd, element, out var interval, out problem))
            {
                return false;
            }
            buffer.Add(interval);
            if (next < 0)
            {
                break;
            }
            position = next + 1;
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer);
        int count = IntervalAlgebra.Normalize(span);
        intervals = span[..count].ToArray();
        problem = null;
        return true;
    }

    private static bool TryParseInterval(string input, int from, int to, string element, out GtidInterval interval, out string? problem)
    {
        interval = default;
        if (from == to)
        {
            problem = $"empty interval at offset {from} in element '{element}'";
            return false;
        }
        string text = input[from..to];
        int dash = input.IndexOf('-', from, to - from);
        long start, end;
        if (dash < 0)
        {
            if (!TryParseSequence(input, from, to, text, out start, out problem))
            {
                return false;
            }
            end = start;
        }
        else
        {
            if (!TryParseSequence(input, from, dash, text, out start, out problem)
                || !TryParseSequence(input, dash + 1, to, text, out end, out problem))
            {
                return false;
            }
        }
        if (start == 0)
        {
            problem = $"interval '{text}' at offset {from} starts at 0; GTID sequence numbers start at 1";
            return false;
        }
        if (end < start)
        {
            problem = $"interval '{text}' at offset {from} is reversed (end {end} is below start {start})";
            return false;
        }
        interval = new GtidInterval(start, end);
        problem = null;
        return true;
    }

    private static bool TryParseSequence(string input, int from, int to, string intervalText, out long value, out string? problem)
    {
        value = 0;
        if (from == to)
        {
            problem = $"interval '{intervalText}' has an empty number at offset {from}";
            return false;
        }
        for (int i = from; i < to; i++)
        {
            char c = input[i];
            if (c is < '0' or > '9')
            {
                problem = $"interval '{intervalText}' has '{c}' at offset {i} where a digit is expected (intervals are N or N-M)";
                return false;
            }
            int digit = c - '0';
            if (value > (long.MaxValue - digit) / 10)
            {
                problem = $"number '{input[from..to]}' at offset {from} is larger than {long.MaxValue.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }
            value = value * 10 + digit;
        }
        problem = null;
        return true;
    }
}
