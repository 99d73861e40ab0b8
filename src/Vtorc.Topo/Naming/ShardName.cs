using System.Globalization;

namespace Vtorc.Topo;

/// <summary>
/// A parsed shard name: either a non-range name such as <c>0</c>, or a hex key range <c>start-end</c>
/// (<c>-</c>, <c>-80</c>, <c>80-</c>, <c>40-80</c>). Range names are canonically lower-case.
/// </summary>
/// <param name="Name">The canonical name (range names lower-cased).</param>
/// <param name="Start">Range start; empty = minimum. Null for a non-range shard.</param>
/// <param name="End">Range end; empty = maximum. Null for a non-range shard.</param>
public sealed record ShardName(string Name, byte[]? Start, byte[]? End)
{
    public bool IsKeyRange => Start is not null;

    /// <summary>
    /// Parses a shard name. A name without '-' is a non-range shard; a name with one '-' is a key range whose
    /// hex halves must decode and satisfy start &lt; end (unless end is empty).
    /// </summary>
    /// <exception cref="FormatException">The message quotes the bad name and says what is wrong.</exception>
    public static ShardName Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TopoNames.IsValid(name))
        {
            TopoNames.Validate("shard", name); // throws with the reason
        }

        var dash = name.IndexOf('-');
        if (dash < 0)
        {
            return new ShardName(name, null, null);
        }

        if (name.IndexOf('-', dash + 1) >= 0)
        {
            throw new FormatException($"invalid shard name \"{name}\": a key range may contain only one '-'");
        }

        var start = DecodeHex(name, name.AsSpan(0, dash), "start");
        var end = DecodeHex(name, name.AsSpan(dash + 1), "end");
        if (end.Length > 0 && KeyRangeText.CompareKeys(start, end) >= 0)
        {
            throw new FormatException(
                $"invalid shard name \"{name}\": the start {Convert.ToHexStringLower(start)} is not strictly smaller than the end {Convert.ToHexStringLower(end)}");
        }

        return new ShardName(name.ToLowerInvariant(), start, end);
    }

    public static bool TryParse(string? name, out ShardName? shard)
    {
        shard = null;
        if (name is null)
        {
            return false;
        }

        try
        {
            shard = Parse(name);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static byte[] DecodeHex(string name, ReadOnlySpan<char> hex, string which)
    {
        if (hex.Length % 2 != 0)
        {
            throw new FormatException($"invalid shard name \"{name}\": the {which} \"{hex}\" has an odd number of hex digits");
        }

        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.Slice(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new FormatException($"invalid shard name \"{name}\": the {which} \"{hex}\" is not hexadecimal");
            }
        }

        return bytes;
    }

    public override string ToString() => Name;
}
