using System.Collections.Immutable;
using ShardIndex = System.Collections.Immutable.ImmutableDictionary<(string Keyspace, string Shard), Vtorc.Orchestrator.Discovery.ShardTablets>;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// What discovery knows, in memory (VTOrc keeps it in SQLite tables; we keep immutable maps swapped atomically):
/// tablet records by alias, keyspace and shard records, the latest observation of each tablet, the forget cache
/// and the "first discovery cycle complete" flag. Readers always see a consistent set of maps; writers retry on
/// a concurrent swap. Thread-safe.
/// <para>
/// Tablet records and observations are kept per shard (<see cref="ShardTablets"/>, by (keyspace, shard)), with a
/// map from alias to record beside it, all in the same swapped contents: every read of one shard (a poll's
/// errant-GTID check, a shard's snapshot) costs work proportional to that shard, not to the fleet (BENCHMARKS.md, "Fleet scale": at 2,000
/// tablets the fleet-wide scans took most of the daemon's CPU), and a pass over every shard reads no per-tablet map.
/// </para>
/// </summary>
public sealed class DiscoveryState
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _pollErrors = new(StringComparer.Ordinal);
    private Contents _contents = Contents.Empty;
    private int _firstCycleComplete;

    /// <param name="forgetTtl">How long a forgotten alias is not polled (3 × <c>--instance-poll-time</c>).</param>
    public DiscoveryState(TimeSpan forgetTtl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(forgetTtl, TimeSpan.Zero);
        ForgetTtl = forgetTtl;
    }

    public TimeSpan ForgetTtl { get; }

    /// <summary>Set once a topo refresh of tablets and of keyspaces/shards both succeeded (for <c>/debug/health</c>).</summary>
    public bool FirstDiscoveryCycleComplete => Volatile.Read(ref _firstCycleComplete) == 1;

    public void MarkFirstDiscoveryCycleComplete() => Interlocked.Exchange(ref _firstCycleComplete, 1);

    // ---- tablets ----

    /// <summary>A copy of every tablet record: O(fleet), not for per-poll paths (see <see cref="TabletCount"/>).</summary>
    public IReadOnlyCollection<TabletRecord> Tablets => Volatile.Read(ref _contents).Tablets.Values.ToArray();

    /// <summary>
    /// Changes (by reference) whenever a tablet record is saved or removed, and only then: lets a reader that matches
    /// something against every tablet skip the O(fleet) walk while nothing changed.
    /// </summary>
    public object TabletsVersion => Volatile.Read(ref _contents).Tablets;

    /// <summary>How many tablets are known, without copying them.</summary>
    public int TabletCount => Volatile.Read(ref _contents).Tablets.Count;

    public TabletRecord? TryGetTablet(string alias) =>
        Volatile.Read(ref _contents).Tablets.GetValueOrDefault(alias);

    public IReadOnlyList<TabletRecord> TabletsInCell(string cell) =>
        [.. Volatile.Read(ref _contents).Tablets.Values.Where(t => t.Cell == cell)];

    /// <summary>The shard's tablet records, ordered by alias.</summary>
    public IReadOnlyList<TabletRecord> TabletsOfShard(string keyspace, string shard) =>
        [.. EntryOf(Volatile.Read(ref _contents), keyspace, shard).Tablets];

    /// <summary>Stores the record unless an identical one (protobuf equality) is stored already.</summary>
    /// <param name="tablet">The record.</param>
    /// <param name="discoveredAt">
    /// When given and the alias is new, the tablet awaits its first poll from then on (<see cref="AwaitingFirstPoll"/>)
    /// until <see cref="EndFirstPoll"/>.
    /// </param>
    /// <returns>True when the record is new or changed.</returns>
    public bool SaveTablet(TabletRecord tablet, DateTimeOffset? discoveredAt = null)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        bool changed = false;
        Update(c =>
        {
            bool known = c.Tablets.TryGetValue(tablet.Alias, out var stored);
            changed = !(known && stored!.Tablet.Equals(tablet.Tablet));
            if (!changed)
            {
                return c;
            }
            if (!known && discoveredAt is { } since)
            {
                c = c with { FirstPollPending = c.FirstPollPending.SetItem(tablet.Alias, since) };
            }
            var index = c.ShardIndex;
            InstanceObservation? observation = null;
            // A changed record may name another shard: the tablet moves there with its observation.
            if (known && (stored!.Keyspace != tablet.Keyspace || stored.Shard != tablet.Shard))
            {
                (index, observation) = WithoutTablet(index, stored);
            }
            var key = (tablet.Keyspace, tablet.Shard);
            index = index.SetItem(key, index.GetValueOrDefault(key, ShardTablets.Empty).WithTablet(tablet, observation));
            return c with { Tablets = c.Tablets.SetItem(tablet.Alias, tablet), ShardIndex = index };
        });
        return changed;
    }

    /// <summary>
    /// Removes the tablet and its observation and puts the alias in the forget cache until <paramref name="now"/> +
    /// <see cref="ForgetTtl"/>.
    /// </summary>
    /// <returns>The removed record; null when the alias was not known.</returns>
    public TabletRecord? ForgetTablet(string alias, DateTimeOffset now)
    {
        TabletRecord? removed = null;
        Update(c =>
        {
            removed = c.Tablets.GetValueOrDefault(alias);
            return c with
            {
                Tablets = c.Tablets.Remove(alias),
                FirstPollPending = c.FirstPollPending.Remove(alias),
                ShardIndex = removed is null ? c.ShardIndex : WithoutTablet(c.ShardIndex, removed).Index,
                // Expired entries are dropped here so the cache does not grow with every tablet ever forgotten.
                ForgottenUntil = c.ForgottenUntil.RemoveRange(c.ForgottenUntil.Where(p => p.Value <= now).Select(p => p.Key))
                    .SetItem(alias, now + ForgetTtl),
            };
        });
        _pollErrors.TryRemove(alias, out _);
        return removed;
    }

    // ---- tablets whose first poll has not ended ----

    /// <summary>
    /// Tablets discovered by this process whose first poll has not ended yet (succeeded or failed), with when they were
    /// discovered. Until then nothing is known of them: a tablet never polled looks the same to the analysis as one
    /// that never answered (docs/vitess-compatibility.md, "Shards wait for their tablets' first poll").
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> AwaitingFirstPoll => Volatile.Read(ref _contents).FirstPollPending;

    /// <summary>A poll of the tablet ended, whatever its outcome: from now on its observation (or its lack) is what counts.</summary>
    public void EndFirstPoll(string alias)
    {
        // Called after every poll (thousands a second at fleet size): past the start, nothing to do and nothing allocated.
        // (The swap is in its own method: a lambda capturing the parameter here would allocate on every call.)
        if (Volatile.Read(ref _contents).FirstPollPending.ContainsKey(alias))
        {
            RemoveFromFirstPollPending(alias);
        }
    }

    private void RemoveFromFirstPollPending(string alias) =>
        Update(c => c.FirstPollPending.ContainsKey(alias) ? c with { FirstPollPending = c.FirstPollPending.Remove(alias) } : c);

    // ---- why the last poll failed ----

    /// <summary>
    /// Records why the latest poll of <paramref name="alias"/> failed. Kept apart from the observation (which VTOrc's
    /// analysis reads) because only operators need it: the status page shows it next to "unreachable".
    /// </summary>
    public void RecordPollError(string alias, string error) => _pollErrors[alias] = error;

    /// <summary>The latest poll succeeded: the tablet has no poll error any more.</summary>
    public void ClearPollError(string alias) => _pollErrors.TryRemove(alias, out _);

    /// <summary>Why the latest poll of each currently failing tablet failed.</summary>
    public IReadOnlyDictionary<string, string> PollErrors => new Dictionary<string, string>(_pollErrors, StringComparer.Ordinal);

    /// <summary>Whether the alias was forgotten less than <see cref="ForgetTtl"/> ago.</summary>
    public bool IsForgotten(string alias, DateTimeOffset now) =>
        Volatile.Read(ref _contents).ForgottenUntil.TryGetValue(alias, out var until) && now < until;

    // ---- observations ----

    public InstanceObservation? TryGetObservation(string alias)
    {
        var c = Volatile.Read(ref _contents);
        if (!c.Tablets.TryGetValue(alias, out var tablet))
        {
            return null;
        }
        var entry = EntryOf(c, tablet.Keyspace, tablet.Shard);
        int at = entry.IndexOf(alias);
        return at < 0 ? null : entry.ObservationAt(at);
    }

    /// <summary>The latest observations of the shard's tablets (tablets never observed have none), ordered by alias.</summary>
    public IReadOnlyList<InstanceObservation> ObservationsOfShard(string keyspace, string shard)
    {
        var entry = EntryOf(Volatile.Read(ref _contents), keyspace, shard);
        var result = new List<InstanceObservation>(entry.TabletCount);
        for (int i = 0; i < entry.TabletCount; i++)
        {
            if (entry.ObservationAt(i) is { } observation)
            {
                result.Add(observation);
            }
        }
        return result;
    }

    /// <summary>
    /// Replaces the observation of <paramref name="alias"/> by what <paramref name="change"/> makes of the current one
    /// (null in, null out: no row). Nothing is stored for an alias that is no longer a known tablet, so a poll that
    /// ends after its tablet was forgotten does not resurrect it.
    /// </summary>
    /// <returns>The stored observation, or null when none is stored.</returns>
    public InstanceObservation? UpdateObservation(string alias, Func<InstanceObservation?, InstanceObservation?> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        InstanceObservation? result = null;
        Update(c =>
        {
            result = null;
            if (!c.Tablets.TryGetValue(alias, out var tablet))
            {
                return c;
            }
            var key = (tablet.Keyspace, tablet.Shard);
            var entry = c.ShardIndex[key];
            int at = entry.IndexOf(alias);
            result = change(entry.ObservationAt(at));
            return result is null ? c : c with { ShardIndex = c.ShardIndex.SetItem(key, entry.WithObservationAt(at, result)) };
        });
        return result;
    }

    /// <summary>
    /// Aliases due for a poll (ReadOutdatedInstances in go/vt/vtorc/inst/instance_dao.go): observed tablets whose last
    /// check is at least the poll interval old (twice that while an attempt hangs), less <paramref name="earliness"/>
    /// (<see cref="DiscoverySettings.PollDueEarliness"/>), plus tablets never observed; forgotten aliases excluded.
    /// O(fleet) per call without allocating per tablet: meant for the health tick.
    /// </summary>
    public IReadOnlyList<string> OutdatedAliases(DateTimeOffset now, TimeSpan pollInterval, TimeSpan earliness = default)
    {
        var c = Volatile.Read(ref _contents);
        var result = new List<string>();
        bool anyForgotten = !c.ForgottenUntil.IsEmpty;
        foreach (var (_, entry) in c.ShardIndex)
        {
            for (int i = 0; i < entry.TabletCount; i++)
            {
                var alias = entry.TabletAt(i).Alias;
                if (anyForgotten && c.ForgottenUntil.TryGetValue(alias, out var until) && now < until)
                {
                    continue;
                }
                if (entry.ObservationAt(i) is not { } o)
                {
                    result.Add(alias);
                    continue;
                }
                var allowed = o.LastAttemptedCheck <= o.LastChecked ? pollInterval : 2 * pollInterval;
                if (now - o.LastChecked >= allowed - earliness)
                {
                    result.Add(alias);
                }
            }
        }
        return result;
    }

    // ---- keyspaces and shards ----

    public KeyspaceRecord? TryGetKeyspace(string keyspace) => Volatile.Read(ref _contents).Keyspaces.GetValueOrDefault(keyspace);

    public ShardRecord? TryGetShard(string keyspace, string shard) => Volatile.Read(ref _contents).Shards.GetValueOrDefault((keyspace, shard));

    public IReadOnlyList<ShardRecord> Shards => [.. Volatile.Read(ref _contents).Shards.Values];

    public void SaveKeyspace(KeyspaceRecord keyspace)
    {
        ArgumentNullException.ThrowIfNull(keyspace);
        Update(c => c with { Keyspaces = c.Keyspaces.SetItem(keyspace.Name, keyspace) });
    }

    public void RemoveKeyspace(string keyspace) => Update(c => c with { Keyspaces = c.Keyspaces.Remove(keyspace) });

    public void SaveShard(ShardRecord shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        Update(c => c with { Shards = c.Shards.SetItem((shard.Keyspace, shard.Shard), shard) });
    }

    public void RemoveShard(string keyspace, string shard) => Update(c => c with { Shards = c.Shards.Remove((keyspace, shard)) });

    /// <summary>Removes the shard records of <paramref name="keyspace"/> whose names are not in <paramref name="keep"/>.</summary>
    /// <returns>The removed shard names.</returns>
    public IReadOnlyList<string> RemoveShardsExcept(string keyspace, IReadOnlySet<string> keep)
    {
        var removed = new List<string>();
        Update(c =>
        {
            removed.Clear();
            var gone = c.Shards.Keys.Where(k => k.Keyspace == keyspace && !keep.Contains(k.Shard)).ToArray();
            removed.AddRange(gone.Select(k => k.Shard));
            return gone.Length == 0 ? c : c with { Shards = c.Shards.RemoveRange(gone) };
        });
        return removed;
    }

    // ---- snapshots for the analysis ----

    /// <summary>The snapshot of one shard; null when its keyspace or shard record is not known.</summary>
    public ShardSnapshot? Snapshot(string keyspace, string shard, DurabilityPolicyRegistry policies) =>
        Snapshot(Volatile.Read(ref _contents), keyspace, shard, policies);

    /// <summary>
    /// Snapshots of every shard whose keyspace and shard records are known (only those of <paramref name="keyspace"/>
    /// when given), from one consistent view, ordered by keyspace then shard.
    /// </summary>
    public IReadOnlyList<ShardSnapshot> Snapshots(DurabilityPolicyRegistry policies, string? keyspace = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var c = Volatile.Read(ref _contents);
        var result = new List<ShardSnapshot>(c.Shards.Count);
        KeyspaceRecord? keyspaceRecord = null;
        // Shards are kept sorted: no sort per pass, and consecutive shards share their keyspace record.
        foreach (var (key, shardRecord) in c.Shards)
        {
            if (keyspace is not null && key.Keyspace != keyspace)
            {
                continue;
            }
            if (keyspaceRecord is null || keyspaceRecord.Name != key.Keyspace)
            {
                keyspaceRecord = c.Keyspaces.GetValueOrDefault(key.Keyspace);
            }
            if (keyspaceRecord is not null)
            {
                var entry = EntryOf(c, key.Keyspace, key.Shard);
                result.Add(ShardSnapshot.Create(keyspaceRecord, shardRecord, entry.Tablets, entry, policies, PendingOf(c, entry)));
            }
        }
        return result;
    }

    private static ShardSnapshot? Snapshot(Contents c, string keyspace, string shard, DurabilityPolicyRegistry policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        if (!c.Keyspaces.TryGetValue(keyspace, out var keyspaceRecord) || !c.Shards.TryGetValue((keyspace, shard), out var shardRecord))
        {
            return null;
        }
        var entry = EntryOf(c, keyspace, shard);
        return ShardSnapshot.Create(keyspaceRecord, shardRecord, entry.Tablets, entry, policies, PendingOf(c, entry));
    }

    /// <summary>The shard's tablets awaiting their first poll; nothing is allocated while no tablet of the fleet does.</summary>
    private static IReadOnlyDictionary<string, DateTimeOffset>? PendingOf(Contents c, ShardTablets entry)
    {
        if (c.FirstPollPending.IsEmpty)
        {
            return null;
        }
        Dictionary<string, DateTimeOffset>? pending = null;
        for (int i = 0; i < entry.TabletCount; i++)
        {
            var alias = entry.TabletAt(i).Alias;
            if (c.FirstPollPending.TryGetValue(alias, out var since))
            {
                (pending ??= new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal))[alias] = since;
            }
        }
        return pending;
    }

    private static ShardTablets EntryOf(Contents c, string keyspace, string shard) =>
        c.ShardIndex.GetValueOrDefault((keyspace, shard), ShardTablets.Empty);

    /// <summary>The index without <paramref name="tablet"/>, and the observation it had.</summary>
    private static (ShardIndex Index, InstanceObservation? Observation) WithoutTablet(ShardIndex index, TabletRecord tablet)
    {
        var key = (tablet.Keyspace, tablet.Shard);
        if (!index.TryGetValue(key, out var entry) || entry.IndexOf(tablet.Alias) is var at && at < 0)
        {
            return (index, null);
        }
        var observation = entry.ObservationAt(at);
        var rest = entry.WithoutAt(at);
        return (rest.TabletCount == 0 ? index.Remove(key) : index.SetItem(key, rest), observation);
    }

    private void Update(Func<Contents, Contents> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _contents);
            var next = change(current);
            if (ReferenceEquals(next, current) || ReferenceEquals(Interlocked.CompareExchange(ref _contents, next, current), current))
            {
                return;
            }
        }
    }

    private sealed record Contents(
        ImmutableDictionary<string, TabletRecord> Tablets,
        ImmutableDictionary<string, KeyspaceRecord> Keyspaces,
        ImmutableSortedDictionary<(string Keyspace, string Shard), ShardRecord> Shards,
        ImmutableDictionary<string, DateTimeOffset> ForgottenUntil,
        ShardIndex ShardIndex,
        ImmutableDictionary<string, DateTimeOffset> FirstPollPending)
    {
        public static readonly Contents Empty = new(
            ImmutableDictionary.Create<string, TabletRecord>(StringComparer.Ordinal),
            ImmutableDictionary.Create<string, KeyspaceRecord>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<(string, string), ShardRecord>(Comparer<(string Keyspace, string Shard)>.Create(static (a, b) =>
            {
                int byKeyspace = string.CompareOrdinal(a.Keyspace, b.Keyspace);
                return byKeyspace != 0 ? byKeyspace : string.CompareOrdinal(a.Shard, b.Shard);
            })),
            ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal),
            ShardIndex.Empty,
            ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal));
    }
}
