using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// One shard's part of <see cref="DiscoveryState"/>: its tablet records in alias order and, at the same index, the
/// latest observation of each (null: never reached). Immutable — every change makes a new instance — so a snapshot can
/// hand it to the analysis as is, and reading a shard costs a few array reads instead of a lookup per tablet in
/// fleet-wide maps (BENCHMARKS.md, "Fleet scale").
/// </summary>
internal sealed class ShardTablets : IReadOnlyDictionary<string, InstanceObservation>
{
    public static readonly ShardTablets Empty = new([], []);

    private readonly TabletRecord[] _tablets;
    private readonly InstanceObservation?[] _observations;

    private ShardTablets(TabletRecord[] tablets, InstanceObservation?[] observations)
    {
        _tablets = tablets;
        _observations = observations;
    }

    public IReadOnlyList<TabletRecord> Tablets => _tablets;

    public int TabletCount => _tablets.Length;

    public TabletRecord TabletAt(int index) => _tablets[index];

    public InstanceObservation? ObservationAt(int index) => _observations[index];

    /// <summary>The position of <paramref name="alias"/>, or -1.</summary>
    public int IndexOf(string alias)
    {
        for (int i = 0; i < _tablets.Length; i++)
        {
            if (string.Equals(_tablets[i].Alias, alias, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>With <paramref name="tablet"/> stored (replacing the record of the same alias, whose observation stays).</summary>
    /// <param name="observation">The observation of a tablet not yet in this shard (one moving in from another shard).</param>
    public ShardTablets WithTablet(TabletRecord tablet, InstanceObservation? observation)
    {
        int existing = IndexOf(tablet.Alias);
        if (existing >= 0)
        {
            var replaced = (TabletRecord[])_tablets.Clone();
            replaced[existing] = tablet;
            return new ShardTablets(replaced, _observations);
        }
        int at = 0;
        while (at < _tablets.Length && string.CompareOrdinal(_tablets[at].Alias, tablet.Alias) < 0)
        {
            at++;
        }
        return new ShardTablets(Inserted(_tablets, at, tablet), Inserted(_observations, at, observation));
    }

    /// <summary>Without the tablet at <paramref name="index"/> and its observation.</summary>
    public ShardTablets WithoutAt(int index) => new(Removed(_tablets, index), Removed(_observations, index));

    public ShardTablets WithObservationAt(int index, InstanceObservation observation)
    {
        var observations = (InstanceObservation?[])_observations.Clone();
        observations[index] = observation;
        return new ShardTablets(_tablets, observations);
    }

    // The observations by alias, for ShardSnapshot (tablets never reached are absent).

    public InstanceObservation this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No observation of tablet \"{key}\" in this shard.");

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<InstanceObservation> Values => this.Select(p => p.Value);

    public int Count => _observations.Count(o => o is not null);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out InstanceObservation value)
    {
        int index = IndexOf(key);
        value = index < 0 ? null : _observations[index];
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, InstanceObservation>> GetEnumerator()
    {
        for (int i = 0; i < _tablets.Length; i++)
        {
            if (_observations[i] is { } observation)
            {
                yield return KeyValuePair.Create(_tablets[i].Alias, observation);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static T[] Inserted<T>(T[] items, int at, T item)
    {
        var result = new T[items.Length + 1];
        Array.Copy(items, 0, result, 0, at);
        result[at] = item;
        Array.Copy(items, at, result, at + 1, items.Length - at);
        return result;
    }

    private static T[] Removed<T>(T[] items, int at)
    {
        var result = new T[items.Length - 1];
        Array.Copy(items, 0, result, 0, at);
        Array.Copy(items, at + 1, result, at, items.Length - at - 1);
        return result;
    }
}
