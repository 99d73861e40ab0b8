using Topodata;

namespace Vtorc.Topo;

/// <summary>Whether two key ranges share a keyspace id. A null range (non-range shard) covers everything.</summary>
internal static class KeyRangeOverlap
{
    public static bool Intersect(KeyRange? a, KeyRange? b)
    {
        if (a is null || b is null)
        {
            return true;
        }

        // [a.start, a.end) and [b.start, b.end), an empty end meaning "to the maximum".
        var bStartsBeforeAEnds = a.End.IsEmpty || KeyRangeText.CompareKeys(b.Start.Span, a.End.Span) < 0;
        var aStartsBeforeBEnds = b.End.IsEmpty || KeyRangeText.CompareKeys(a.Start.Span, b.End.Span) < 0;
        return bStartsBeforeAEnds && aStartsBeforeBEnds;
    }
}
