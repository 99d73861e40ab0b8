using System.Buffers;

namespace Vtorc.Replication;

/// <summary>
/// Set operations on interval lists in canonical form: sorted by start, non-overlapping and non-adjacent
/// (each interval starts at least two past the previous end). Every operation returns canonical form, so
/// equality of sets is equality of interval lists.
/// </summary>
internal static class IntervalAlgebra
{
    /// <summary>Sorts and merges overlapping or adjacent intervals in place; returns the new length.</summary>
    public static int Normalize(Span<GtidInterval> intervals)
    {
        if (intervals.Length <= 1)
        {
            return intervals.Length;
        }
        bool sorted = true;
        for (int i = 1; i < intervals.Length; i++)
        {
            if (intervals[i].Start < intervals[i - 1].Start)
            {
                sorted = false;
                break;
            }
        }
        if (!sorted)
        {
            intervals.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        }
        int count = 0;
        var current = intervals[0];
        for (int i = 1; i < intervals.Length; i++)
        {
            var next = intervals[i];
            // Start >= 1, so Start - 1 cannot overflow while End + 1 could.
            if (next.Start - 1 <= current.End)
            {
                if (next.End > current.End)
                {
                    current = new GtidInterval(current.Start, next.End);
                }
            }
            else
            {
                intervals[count++] = current;
                current = next;
            }
        }
        intervals[count++] = current;
        return count;
    }

    public static bool IsCanonical(ReadOnlySpan<GtidInterval> intervals)
    {
        for (int i = 0; i < intervals.Length; i++)
        {
            if (intervals[i].Start < 1 || intervals[i].End < intervals[i].Start)
            {
                return false;
            }
            if (i > 0 && intervals[i].Start - 1 <= intervals[i - 1].End)
            {
                return false;
            }
        }
        return true;
    }

    public static GtidInterval[] Union(GtidInterval[] a, GtidInterval[] b)
    {
        if (b.Length == 0 || ReferenceEquals(a, b))
        {
            return a;
        }
        if (a.Length == 0)
        {
            return b;
        }
        // Worked out in a pooled scratch buffer so that only the exact-size result is allocated.
        var result = ArrayPool<GtidInterval>.Shared.Rent(a.Length + b.Length);
        int i = 0, j = 0, count = 0;
        GtidInterval current = a[0].Start <= b[0].Start ? a[i++] : b[j++];
        while (i < a.Length || j < b.Length)
        {
            GtidInterval next = j >= b.Length || (i < a.Length && a[i].Start <= b[j].Start) ? a[i++] : b[j++];
            if (next.Start - 1 <= current.End)
            {
                if (next.End > current.End)
                {
                    current = new GtidInterval(current.Start, next.End);
                }
            }
            else
            {
                result[count++] = current;
                current = next;
            }
        }
        result[count++] = current;
        var merged = count == a.Length && SameIntervals(result.AsSpan(0, count), a) ? a
            : count == b.Length && SameIntervals(result.AsSpan(0, count), b) ? b
            : result.AsSpan(0, count).ToArray();
        ArrayPool<GtidInterval>.Shared.Return(result);
        return merged;
    }

    /// <summary>a − b.</summary>
    public static GtidInterval[] Subtract(GtidInterval[] a, GtidInterval[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a;
        }
        // Allocated on the first interval of a that b touches; until then a is returned unchanged.
        // Each interval of b splits at most one interval of a, hence the bound on the length.
        GtidInterval[]? result = null;
        int count = 0;
        int j = 0;
        for (int i = 0; i < a.Length; i++)
        {
            long start = a[i].Start;
            long end = a[i].End;
            while (j < b.Length && b[j].End < start)
            {
                j++;
            }
            if (j == b.Length || b[j].Start > end)
            {
                if (result is not null)
                {
                    result[count++] = a[i];
                }
                continue;
            }
            if (result is null)
            {
                result = ArrayPool<GtidInterval>.Shared.Rent(a.Length + b.Length);
                a.AsSpan(0, i).CopyTo(result);
                count = i;
            }
            long cursor = start;
            bool consumed = false;
            while (j < b.Length && b[j].Start <= end)
            {
                if (b[j].Start > cursor)
                {
                    result[count++] = new GtidInterval(cursor, b[j].Start - 1);
                }
                if (b[j].End >= end)
                {
                    // b[j] may reach into the next interval of a: keep j where it is.
                    consumed = true;
                    break;
                }
                cursor = b[j].End + 1;
                j++;
            }
            if (!consumed)
            {
                result[count++] = new GtidInterval(cursor, end);
            }
        }
        if (result is null)
        {
            return a;
        }
        var remaining = result.AsSpan(0, count).ToArray();
        ArrayPool<GtidInterval>.Shared.Return(result);
        return remaining;
    }

    public static GtidInterval[] Intersect(GtidInterval[] a, GtidInterval[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return [];
        }
        var result = ArrayPool<GtidInterval>.Shared.Rent(a.Length + b.Length);
        int i = 0, j = 0, count = 0;
        while (i < a.Length && j < b.Length)
        {
            long start = Math.Max(a[i].Start, b[j].Start);
            long end = Math.Min(a[i].End, b[j].End);
            if (start <= end)
            {
                result[count++] = new GtidInterval(start, end);
            }
            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        var common = result.AsSpan(0, count).ToArray();
        ArrayPool<GtidInterval>.Shared.Return(result);
        return common;
    }

    /// <summary>Whether every interval of <paramref name="b"/> lies entirely inside one interval of <paramref name="a"/>.</summary>
    public static bool Contains(ReadOnlySpan<GtidInterval> a, ReadOnlySpan<GtidInterval> b)
    {
        if (b.Length == 0)
        {
            return true;
        }
        if (a.Length == 0 || b[0].Start < a[0].Start || b[^1].End > a[^1].End)
        {
            return false;
        }
        // Positions of replicas of one primary mostly agree UUID by UUID: a block compare settles those quickly.
        if (a.Length == b.Length && SameIntervals(a, b))
        {
            return true;
        }
        int i = 0;
        for (int j = 0; j < b.Length; j++)
        {
            var needle = b[j];
            while (i < a.Length && a[i].End < needle.Start)
            {
                i++;
            }
            if (i == a.Length || a[i].Start > needle.Start || a[i].End < needle.End)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Compared as raw bytes (two longs, no padding, so byte equality is value equality) to get a vectorised compare.</summary>
    public static bool SameIntervals(ReadOnlySpan<GtidInterval> a, ReadOnlySpan<GtidInterval> b) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b));

    public static long Count(ReadOnlySpan<GtidInterval> intervals)
    {
        long total = 0;
        foreach (var interval in intervals)
        {
            total = SaturatingAdd(total, interval.Count);
        }
        return total;
    }

    public static long SaturatingAdd(long a, long b)
    {
        long sum = a + b;
        return sum < a ? long.MaxValue : sum;
    }
}
