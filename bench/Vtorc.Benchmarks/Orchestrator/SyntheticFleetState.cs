using Vtorc.Orchestrator.Discovery;

namespace Vtorc.Benchmarks.Orchestrator;

/// <summary>A <see cref="DiscoveryState"/> holding <see cref="SyntheticShards"/>, as discovery would after a few polls.</summary>
internal static class SyntheticFleetState
{
    public static DiscoveryState Create(IReadOnlyList<SyntheticShard> shards)
    {
        var state = new DiscoveryState(TimeSpan.FromSeconds(3));
        foreach (var shard in shards)
        {
            state.SaveKeyspace(shard.Keyspace);
            state.SaveShard(shard.Shard);
            foreach (var tablet in shard.Tablets)
            {
                state.SaveTablet(tablet);
                if (shard.Observations.TryGetValue(tablet.Alias, out var observation))
                {
                    state.UpdateObservation(tablet.Alias, _ => observation);
                }
            }
        }
        return state;
    }

    /// <summary>What a second of polling does between two passes: one tablet of every shard has a newer observation.</summary>
    public static void PollOneTabletPerShard(DiscoveryState state, IReadOnlyList<SyntheticShard> shards, TimeSpan later)
    {
        foreach (var shard in shards)
        {
            state.UpdateObservation(shard.Tablets[1].Alias, o => o is null ? null : o with { LastChecked = o.LastChecked + later });
        }
    }
}
