using System.Collections.Concurrent;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Which records the topology watch applied, and when, so a refresh that read the topology before the watch applied a
/// newer change does not put the older value back (or forget a tablet the watch just added). A refresh notes
/// <see cref="Current"/> before it reads and leaves alone every record marked after that: the watch is in etcd's order
/// and catches up by itself, so leaving a record to it is never wrong. Thread-safe.
/// </summary>
internal sealed class WatchedRecordMarks
{
    private readonly ConcurrentDictionary<string, (long Sequence, DateTimeOffset At)> _marks = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>The sequence number of the latest mark; a refresh notes it before reading.</summary>
    public long Current => Interlocked.Read(ref _sequence);

    public static string Keyspace(string keyspace) => "keyspace:" + keyspace;

    public static string Shard(string keyspace, string shard) => $"shard:{keyspace}/{shard}";

    public static string Tablet(string alias) => "tablet:" + alias;

    public void Mark(string record, DateTimeOffset now) => _marks[record] = (Interlocked.Increment(ref _sequence), now);

    /// <summary>Whether the watch applied a change to <paramref name="record"/> after <paramref name="since"/> was noted.</summary>
    public bool MarkedSince(string record, long since) => _marks.TryGetValue(record, out var mark) && mark.Sequence > since;

    /// <summary>Drops marks made before <paramref name="before"/>: no refresh that started earlier still runs.</summary>
    public void Prune(DateTimeOffset before)
    {
        foreach (var entry in _marks)
        {
            if (entry.Value.At < before)
            {
                _marks.TryRemove(entry);
            }
        }
    }
}
