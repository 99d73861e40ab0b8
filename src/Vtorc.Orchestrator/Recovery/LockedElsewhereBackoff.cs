namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// The shards whose lock another orchestrator held at our last attempt, with the time of the tick that made it. Such a
/// shard is tried again only at a tick one recovery period later, as VTOrc's once-a-second CheckAndRecover would: the
/// early ticks that health signals ask for would otherwise retry the lock of every shard another instance is
/// repairing several times a second (a mass failover with two instances: hundreds of lock attempts a second against
/// etcd, slowing the instance that holds the locks). Thread-safe; the time is always passed in.
/// </summary>
internal sealed class LockedElsewhereBackoff
{
    private readonly Dictionary<(string Keyspace, string Shard), DateTimeOffset> _lockedAt = [];

    /// <summary>Remembers that the attempt dispatched at <paramref name="dispatchedAt"/> found the lock held elsewhere.</summary>
    public void Record((string Keyspace, string Shard) shard, DateTimeOffset dispatchedAt)
    {
        lock (_lockedAt)
        {
            _lockedAt[shard] = dispatchedAt;
        }
    }

    /// <summary>Forgets the shard: an attempt got past the lock check (or the problem is gone).</summary>
    public void Clear((string Keyspace, string Shard) shard)
    {
        lock (_lockedAt)
        {
            _lockedAt.Remove(shard);
        }
    }

    /// <summary>
    /// When <paramref name="shard"/> may be tried again if that is after <paramref name="now"/>; null when it may be
    /// tried now. An entry older than <paramref name="period"/> is dropped.
    /// </summary>
    public DateTimeOffset? WaitsUntil((string Keyspace, string Shard) shard, DateTimeOffset now, TimeSpan period)
    {
        lock (_lockedAt)
        {
            if (!_lockedAt.TryGetValue(shard, out var at))
            {
                return null;
            }
            var retry = at + period;
            if (retry <= now)
            {
                _lockedAt.Remove(shard);
                return null;
            }
            return retry;
        }
    }

    /// <summary>Drops every shard not in <paramref name="withProblems"/> (their problem is gone).</summary>
    public void KeepOnly(IReadOnlySet<(string Keyspace, string Shard)> withProblems)
    {
        lock (_lockedAt)
        {
            foreach (var shard in _lockedAt.Keys.Where(s => !withProblems.Contains(s)).ToList())
            {
                _lockedAt.Remove(shard);
            }
        }
    }
}
