using System.Collections.ObjectModel;
using System.Text;

namespace Vtorc.Replication;

/// <summary>
/// An immutable MySQL56 GTID set: server UUID → sorted, merged intervals of transaction numbers.
/// </summary>
/// <remarks>
/// The set is always held in canonical form: UUIDs sorted by their 16 raw bytes, each UUID's intervals sorted
/// and merged (overlapping or adjacent intervals such as 1-5 and 6-9 become 1-9), no UUID without intervals.
/// Vitess's parser sorts intervals but leaves adjacent ones apart until a union merges them; we merge on parse,
/// so equality here is equality of canonical forms ("u:1-5:6-9" equals "u:1-9"), which is the set-theoretic
/// meaning and what containment already used.
/// </remarks>
public sealed class GtidSet : IEquatable<GtidSet>
{
    public static GtidSet Empty { get; } = new([], []);

    private readonly ServerUuid[] _uuids;
    private readonly GtidInterval[][] _intervals;
    // Lazily computed caches; benign races (every thread computes the same value).
    private string? _text;
    private int _hash;
    private long _count = -1;

    private GtidSet(ServerUuid[] uuids, GtidInterval[][] intervals)
    {
        _uuids = uuids;
        _intervals = intervals;
    }

    /// <summary>Parses a GTID set (without the "MySQL56/" prefix); "" is the empty set.</summary>
    /// <exception cref="PositionParseException">The text is malformed; the message quotes it.</exception>
    public static GtidSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!GtidSetParser.TryParse(text, 0, out var set, out var problem))
        {
            throw new PositionParseException(text, problem!);
        }
        return set!;
    }

    public static bool TryParse(string text, out GtidSet? set, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (GtidSetParser.TryParse(text, 0, out set, out var problem))
        {
            error = null;
            return true;
        }
        error = new PositionParseException(text, problem!).Message;
        return false;
    }

    /// <summary>Builds a set from any (uuid, interval) pairs; intervals may overlap and come in any order.</summary>
    public static GtidSet Create(IEnumerable<(ServerUuid Uuid, GtidInterval Interval)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var byUuid = new SortedDictionary<ServerUuid, List<GtidInterval>>();
        foreach (var (uuid, interval) in entries)
        {
            _ = GtidInterval.Checked(interval.Start, interval.End);
            if (!byUuid.TryGetValue(uuid, out var list))
            {
                byUuid[uuid] = list = [];
            }
            list.Add(interval);
        }
        var uuids = new ServerUuid[byUuid.Count];
        var runs = new GtidInterval[byUuid.Count][];
        int index = 0;
        foreach (var (uuid, list) in byUuid)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
            int count = IntervalAlgebra.Normalize(span);
            uuids[index] = uuid;
            runs[index] = span[..count].ToArray();
            index++;
        }
        return uuids.Length == 0 ? Empty : new GtidSet(uuids, runs);
    }

    public static GtidSet Create(ServerUuid uuid, params GtidInterval[] intervals)
    {
        var entries = new (ServerUuid, GtidInterval)[intervals.Length];
        for (int i = 0; i < intervals.Length; i++)
        {
            entries[i] = (uuid, intervals[i]);
        }
        return Create(entries);
    }

    /// <summary>Parser output: elements in input order, each with already-normalised intervals.</summary>
    internal static GtidSet FromParsedElements(List<ServerUuid> uuids, List<GtidInterval[]> runs)
    {
        var uuidArray = uuids.ToArray();
        var runArray = runs.ToArray();
        bool strictlySorted = true;
        for (int i = 1; i < uuidArray.Length; i++)
        {
            if (uuidArray[i - 1].CompareTo(uuidArray[i]) >= 0)
            {
                strictlySorted = false;
                break;
            }
        }
        if (strictlySorted)
        {
            return new GtidSet(uuidArray, runArray);
        }
        // Stable order is not needed: elements of the same UUID are unioned below.
        Array.Sort(uuidArray, runArray);
        int count = 0;
        for (int i = 0; i < uuidArray.Length; i++)
        {
            if (count > 0 && uuidArray[count - 1] == uuidArray[i])
            {
                runArray[count - 1] = IntervalAlgebra.Union(runArray[count - 1], runArray[i]);
            }
            else
            {
                uuidArray[count] = uuidArray[i];
                runArray[count] = runArray[i];
                count++;
            }
        }
        return new GtidSet(uuidArray[..count], runArray[..count]);
    }

    public bool IsEmpty => _uuids.Length == 0;

    /// <summary>The UUIDs present, in canonical (raw byte) order.</summary>
    public IReadOnlyList<ServerUuid> Uuids => Array.AsReadOnly(_uuids);

    public int UuidCount => _uuids.Length;

    public bool ContainsUuid(ServerUuid uuid) => IndexOf(uuid) >= 0;

    /// <summary>The canonical intervals of <paramref name="uuid"/>; empty when the UUID is absent.</summary>
    public IReadOnlyList<GtidInterval> Intervals(ServerUuid uuid)
    {
        int index = IndexOf(uuid);
        return index < 0 ? ReadOnlyCollection<GtidInterval>.Empty : Array.AsReadOnly(_intervals[index]);
    }

    /// <summary>Number of transactions in the set (saturates at <see cref="long.MaxValue"/>).</summary>
    public long Count
    {
        get
        {
            long count = _count;
            if (count < 0)
            {
                count = 0;
                foreach (var run in _intervals)
                {
                    count = IntervalAlgebra.SaturatingAdd(count, IntervalAlgebra.Count(run));
                }
                _count = count;
            }
            return count;
        }
    }

    /// <summary>
    /// "The last GTID": the end of the highest interval of the last UUID in canonical (raw byte) order, or null
    /// for the empty set. Vitess defines it the same way; it is a deterministic pick, not the most recent
    /// transaction in time (a GTID set does not record time).
    /// </summary>
    public Gtid? Last => IsEmpty ? null : new Gtid(_uuids[^1], _intervals[^1][^1].End);

    public bool Contains(Gtid gtid)
    {
        int index = IndexOf(gtid.Uuid);
        if (index < 0)
        {
            return false;
        }
        var run = _intervals[index];
        int lo = 0, hi = run.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (run[mid].End < gtid.Sequence)
            {
                lo = mid + 1;
            }
            else if (run[mid].Start > gtid.Sequence)
            {
                hi = mid - 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether every transaction of <paramref name="other"/> is in this set (as in
    /// go/mysql/replication/mysql56_gtid_set.go: for each UUID of the other set this set has the UUID and each of its
    /// intervals lies inside one of ours).
    /// </summary>
    public bool Contains(GtidSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other) || other.IsEmpty)
        {
            return true;
        }
        if (other._uuids.Length > _uuids.Length)
        {
            return false;
        }
        // A set with more transactions cannot be inside this one; cheap once counts are cached, which makes the
        // losing direction of pairwise ERS comparisons O(1). A saturated count proves nothing.
        long count = Count;
        if (count != long.MaxValue && other.Count > count)
        {
            return false;
        }
        int i = 0;
        for (int j = 0; j < other._uuids.Length; j++)
        {
            var uuid = other._uuids[j];
            while (i < _uuids.Length && _uuids[i] < uuid)
            {
                i++;
            }
            if (i == _uuids.Length || _uuids[i] != uuid || !IntervalAlgebra.Contains(_intervals[i], other._intervals[j]))
            {
                return false;
            }
        }
        return true;
    }

    public GtidSet Union(GtidSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty || ReferenceEquals(this, other))
        {
            return this;
        }
        if (IsEmpty)
        {
            return other;
        }
        var uuids = new ServerUuid[_uuids.Length + other._uuids.Length];
        var runs = new GtidInterval[uuids.Length][];
        int i = 0, j = 0, count = 0;
        while (i < _uuids.Length || j < other._uuids.Length)
        {
            int order = i == _uuids.Length ? 1 : j == other._uuids.Length ? -1 : _uuids[i].CompareTo(other._uuids[j]);
            if (order < 0)
            {
                uuids[count] = _uuids[i];
                runs[count++] = _intervals[i++];
            }
            else if (order > 0)
            {
                uuids[count] = other._uuids[j];
                runs[count++] = other._intervals[j++];
            }
            else
            {
                uuids[count] = _uuids[i];
                runs[count++] = IntervalAlgebra.Union(_intervals[i++], other._intervals[j++]);
            }
        }
        return Build(uuids, runs, count);
    }

    /// <summary>This set minus every transaction of <paramref name="other"/>.</summary>
    public GtidSet Subtract(GtidSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }
        if (ReferenceEquals(this, other))
        {
            return Empty;
        }
        var uuids = new ServerUuid[_uuids.Length];
        var runs = new GtidInterval[_uuids.Length][];
        int j = 0, count = 0;
        bool changed = false;
        for (int i = 0; i < _uuids.Length; i++)
        {
            var uuid = _uuids[i];
            while (j < other._uuids.Length && other._uuids[j] < uuid)
            {
                j++;
            }
            var run = _intervals[i];
            if (j < other._uuids.Length && other._uuids[j] == uuid)
            {
                var remaining = IntervalAlgebra.Subtract(run, other._intervals[j]);
                if (!ReferenceEquals(remaining, run))
                {
                    changed = true;
                    run = remaining;
                }
            }
            if (run.Length > 0)
            {
                uuids[count] = uuid;
                runs[count++] = run;
            }
        }
        return changed ? Build(uuids, runs, count) : this;
    }

    /// <summary>The transactions present in both sets.</summary>
    public GtidSet Intersect(GtidSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other))
        {
            return this;
        }
        if (IsEmpty || other.IsEmpty)
        {
            return Empty;
        }
        var uuids = new ServerUuid[Math.Min(_uuids.Length, other._uuids.Length)];
        var runs = new GtidInterval[uuids.Length][];
        int i = 0, j = 0, count = 0;
        while (i < _uuids.Length && j < other._uuids.Length)
        {
            int order = _uuids[i].CompareTo(other._uuids[j]);
            if (order < 0)
            {
                i++;
            }
            else if (order > 0)
            {
                j++;
            }
            else
            {
                var run = IntervalAlgebra.Intersect(_intervals[i], other._intervals[j]);
                if (run.Length > 0)
                {
                    uuids[count] = _uuids[i];
                    runs[count++] = run;
                }
                i++;
                j++;
            }
        }
        return Build(uuids, runs, count);
    }

    public GtidSet RemoveUuid(ServerUuid uuid)
    {
        int index = IndexOf(uuid);
        if (index < 0)
        {
            return this;
        }
        var uuids = new ServerUuid[_uuids.Length - 1];
        var runs = new GtidInterval[uuids.Length][];
        Array.Copy(_uuids, 0, uuids, 0, index);
        Array.Copy(_uuids, index + 1, uuids, index, uuids.Length - index);
        Array.Copy(_intervals, 0, runs, 0, index);
        Array.Copy(_intervals, index + 1, runs, index, runs.Length - index);
        return Build(uuids, runs, uuids.Length);
    }

    public GtidSet RemoveUuids(IEnumerable<ServerUuid> uuids)
    {
        ArgumentNullException.ThrowIfNull(uuids);
        var result = this;
        foreach (var uuid in uuids)
        {
            result = result.RemoveUuid(uuid);
        }
        return result;
    }

    /// <summary>Only the transactions of <paramref name="uuid"/>.</summary>
    public GtidSet KeepOnlyUuid(ServerUuid uuid)
    {
        int index = IndexOf(uuid);
        if (index < 0)
        {
            return Empty;
        }
        return _uuids.Length == 1 ? this : new GtidSet([uuid], [_intervals[index]]);
    }

    private static GtidSet Build(ServerUuid[] uuids, GtidInterval[][] runs, int count)
    {
        if (count == 0)
        {
            return Empty;
        }
        return count == uuids.Length ? new GtidSet(uuids, runs) : new GtidSet(uuids[..count], runs[..count]);
    }

    private int IndexOf(ServerUuid uuid)
    {
        int lo = 0, hi = _uuids.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int order = _uuids[mid].CompareTo(uuid);
            if (order == 0)
            {
                return mid;
            }
            if (order < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return -1;
    }

    public bool Equals(GtidSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._uuids.Length != _uuids.Length)
        {
            return false;
        }
        if (GetHashCode() != other.GetHashCode())
        {
            return false;
        }
        for (int i = 0; i < _uuids.Length; i++)
        {
            if (_uuids[i] != other._uuids[i] || !IntervalAlgebra.SameIntervals(_intervals[i], other._intervals[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as GtidSet);

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var hash = new HashCode();
            for (int i = 0; i < _uuids.Length; i++)
            {
                hash.Add(_uuids[i]);
                foreach (var interval in _intervals[i])
                {
                    hash.Add(interval.Start);
                    hash.Add(interval.End);
                }
            }
            int value = hash.ToHashCode();
            _hash = value == 0 ? 1 : value;
        }
        return _hash;
    }

    /// <summary>Canonical text: <c>uuid:1-5:7,uuid2:1-100</c>, lower-case, no spaces; "" for the empty set.</summary>
    public override string ToString() => _text ??= Format();

    private string Format()
    {
        if (IsEmpty)
        {
            return "";
        }
        var builder = new StringBuilder(_uuids.Length * 48);
        Span<char> uuidText = stackalloc char[ServerUuid.TextLength];
        for (int i = 0; i < _uuids.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            _uuids[i].Format(uuidText);
            builder.Append(uuidText);
            foreach (var interval in _intervals[i])
            {
                builder.Append(':');
                builder.Append(interval.Start);
                if (interval.End != interval.Start)
                {
                    builder.Append('-');
                    builder.Append(interval.End);
                }
            }
        }
        return builder.ToString();
    }
}
