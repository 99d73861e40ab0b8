namespace Vtorc.Topo;

/// <summary>Text form of a key range, <c>{hex start}-{hex end}</c> in lower case (the full range is <c>-</c>).</summary>
public static class KeyRangeText
{
    public static string Format(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) =>
        Convert.ToHexStringLower(start) + "-" + Convert.ToHexStringLower(end);

    /// <summary>Unsigned lexicographic byte order, the order of keyspace ids.</summary>
    public static int CompareKeys(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);
}
