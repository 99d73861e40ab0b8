using Topodata;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// The parsed <c>--clusters-to-watch</c> flag (go/vt/vtorc/logic/tablet_discovery.go): empty watches every keyspace;
/// otherwise each listed keyspace maps to the key ranges watched in it, and a tablet or shard is watched when its key
/// range is contained in one of them (so <c>ks/-80</c> still covers <c>-40</c> and <c>40-80</c> after a split).
/// </summary>
public sealed class ClustersToWatch
{
    private readonly Dictionary<string, List<KeyRange>> _ranges;

    private ClustersToWatch(Dictionary<string, List<KeyRange>> ranges) => _ranges = ranges;

    /// <summary>Watches every keyspace.</summary>
    public static ClustersToWatch All { get; } = new(new Dictionary<string, List<KeyRange>>(StringComparer.Ordinal));

    public bool WatchesAllKeyspaces => _ranges.Count == 0;

    /// <summary>The listed keyspaces, sorted; empty when every keyspace is watched.</summary>
    public IReadOnlyList<string> Keyspaces => [.. _ranges.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The key ranges watched in <paramref name="keyspace"/> (as text); empty when the keyspace is not listed.</summary>
    public IReadOnlyList<string> RangesOf(string keyspace) =>
        _ranges.TryGetValue(keyspace, out var list) ? [.. list.Select(r => r.ToText())] : [];

    /// <summary>Parses the flag value (comma-separated <c>ks</c>, <c>ks/</c>, <c>ks/-80</c>, <c>ks/0</c> entries).</summary>
    /// <param name="skipped">Receives the reason for every entry that is skipped (logged by the caller).</param>
    /// <exception cref="FormatException">An entry's shard part is not a valid key range; the message quotes the flag value.</exception>
    public static ClustersToWatch Parse(string? flagValue, Action<string>? skipped = null)
    {
        var ranges = new Dictionary<string, List<KeyRange>>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(flagValue))
        {
            return All;
        }
        foreach (var raw in flagValue.Split(','))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }
            int slash = entry.IndexOf('/');
            string keyspace = slash < 0 ? entry : entry[..slash];
            string shardPart = slash < 0 ? "" : entry[(slash + 1)..];
            if (keyspace.Length == 0 || shardPart.Contains('/', StringComparison.Ordinal) || !TopoNames.IsValid(keyspace))
            {
                skipped?.Invoke($"--clusters-to-watch entry \"{entry}\" is not \"keyspace\" or \"keyspace/shard\"; skipping it");
                continue;
            }
            var range = shardPart.Length == 0 ? FullRange() : ParseRange(shardPart, entry, flagValue);
            if (!ranges.TryGetValue(keyspace, out var list))
            {
                ranges[keyspace] = list = [];
            }
            list.Add(range);
        }
        return ranges.Count == 0 ? All : new ClustersToWatch(ranges);
    }

    /// <summary>Whether the keyspace is watched at all (some of its ranges).</summary>
    public bool WatchesKeyspace(string keyspace) => WatchesAllKeyspaces || _ranges.ContainsKey(keyspace);

    /// <summary>
    /// Whether a tablet or shard with this key range is watched; a null range (a non-range shard such as <c>0</c>)
    /// stands for the whole keyspace.
    /// </summary>
    public bool Matches(string keyspace, KeyRange? shardKeyRange)
    {
        if (WatchesAllKeyspaces)
        {
            return true;
        }
        if (!_ranges.TryGetValue(keyspace, out var list))
        {
            return false;
        }
        var target = shardKeyRange ?? FullRange();
        return list.Any(listed => Contains(listed, target));
    }

    /// <summary>
    /// <see cref="Matches(string, KeyRange?)"/> for a shard name; a name that is not a valid shard name is not watched
    /// unless the whole keyspace is.
    /// </summary>
    public bool MatchesShard(string keyspace, string shard)
    {
        if (WatchesAllKeyspaces)
        {
            return true;
        }
        return ShardName.TryParse(shard, out var parsed) && parsed is not null
            ? Matches(keyspace, parsed.ToKeyRange())
            : _ranges.TryGetValue(keyspace, out var list) && list.Any(IsFull);
    }

    private static KeyRange ParseRange(string shardPart, string entry, string flagValue)
    {
        // "0" is the conventional name of an unsharded keyspace's only shard: the whole key range.
        if (shardPart == "0")
        {
            return FullRange();
        }
        if (!shardPart.Contains('-', StringComparison.Ordinal) || !ShardName.TryParse(shardPart, out var parsed) || parsed?.ToKeyRange() is not { } range)
        {
            throw new FormatException(
                $"invalid key range \"{shardPart}\" in entry \"{entry}\" of --clusters-to-watch \"{flagValue}\" "
                + "(expected a hex range such as -80, 80-c0, - or the shard name 0)");
        }
        return range;
    }

    private static KeyRange FullRange() => new();

    private static bool IsFull(KeyRange range) => range.Start.IsEmpty && range.End.IsEmpty;

    private static bool Contains(KeyRange outer, KeyRange inner)
    {
        bool startInside = KeyRangeText.CompareKeys(outer.Start.Span, inner.Start.Span) <= 0;
        bool endInside = outer.End.IsEmpty
            || (!inner.End.IsEmpty && KeyRangeText.CompareKeys(inner.End.Span, outer.End.Span) <= 0);
        return startInside && endInside;
    }
}
