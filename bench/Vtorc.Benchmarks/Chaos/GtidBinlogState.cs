using System.Globalization;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// MariaDB's <c>@@gtid_binlog_state</c>: the last sequence number per (domain, server_id) in the binary log. Unlike a
/// position (one GTID per domain), it shows transactions of a server that another lacks even when their sequence
/// numbers are lower than the other's (see docs/reliability.md, "Fault-injection suite").
/// </summary>
internal static class GtidBinlogState
{
    /// <summary>"0-101-5,0-102-9" → {(0,101): 5, (0,102): 9}.</summary>
    /// <exception cref="FormatException">Not a GTID list; the message quotes it.</exception>
    public static Dictionary<(uint Domain, uint ServerId), ulong> Parse(string text)
    {
        var result = new Dictionary<(uint, uint), ulong>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('-');
            if (parts.Length != 3
                || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var domain)
                || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var server)
                || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                throw new FormatException($"\"{item}\" in gtid_binlog_state \"{text}\" is not domain-server_id-sequence");
            }
            result[(domain, server)] = sequence;
        }
        return result;
    }

    /// <summary>
    /// The (domain-server_id-sequence) entries of <paramref name="server"/> that <paramref name="primary"/> lacks: a
    /// server id the primary never logged, or a higher sequence of it. Empty when the server is a subset (maybe lagging).
    /// </summary>
    public static IReadOnlyList<string> Extra(string server, string primary)
    {
        var theirs = Parse(primary);
        return Parse(server)
            .Where(e => !theirs.TryGetValue(e.Key, out var sequence) || sequence < e.Value)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key.Domain}-{e.Key.ServerId}-{e.Value}"))
            .ToList();
    }
}
