using Topodata;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;

namespace Vtorc.Reparent.Operations;

/// <summary>What a reparent reads from the topo under the lock: the shard record, its durability policy and its tablets.</summary>
internal sealed class ShardState
{
    private ShardState(Shard shard, DurabilityPolicy policy, IReadOnlyList<Tablet> tablets)
    {
        Shard = shard;
        Policy = policy;
        ShardPrimaryAlias = shard.PrimaryAlias?.ToText();
        Tablets = tablets;
        ByAlias = tablets.ToDictionary(t => t.Alias.ToText(), StringComparer.Ordinal);
        Infos = tablets.Select(ToInfo).ToArray();
        InfoByAlias = Infos.ToDictionary(i => i.Alias, StringComparer.Ordinal);
    }

    public Shard Shard { get; }

    /// <summary>The primary named in the shard record, as <c>cell-uid</c> text; null when none.</summary>
    public string? ShardPrimaryAlias { get; }

    public DurabilityPolicy Policy { get; }

    /// <summary>The shard's tablets ordered by alias.</summary>
    public IReadOnlyList<Tablet> Tablets { get; }

    public IReadOnlyDictionary<string, Tablet> ByAlias { get; }

    public IReadOnlyList<TabletInfo> Infos { get; }

    public IReadOnlyDictionary<string, TabletInfo> InfoByAlias { get; }

    public static TabletInfo ToInfo(Tablet tablet) => new(tablet.Alias.ToText(), tablet.Alias.Cell, tablet.Type);

    /// <param name="defaultPolicyName">Used when the keyspace record names no policy (Vitess's topo helper gives "none").</param>
    public static async Task<ShardState> ReadAsync(TopoServer topo, DurabilityPolicyRegistry registry, string keyspace, string shard,
        ReparentEventLog events, CancellationToken cancellationToken)
    {
        var shardRecord = (await topo.Shards.GetAsync((keyspace, shard), cancellationToken).ConfigureAwait(false)).Value;
        var keyspaceRecord = (await topo.Keyspaces.GetAsync(keyspace, cancellationToken).ConfigureAwait(false)).Value;
        string policyName = string.IsNullOrEmpty(keyspaceRecord.DurabilityPolicy) ? DurabilityPolicyNames.None : keyspaceRecord.DurabilityPolicy;
        var policy = registry.Get(policyName);
        var tablets = await topo.GetTabletsByShardAsync(keyspace, shard, cancellationToken).ConfigureAwait(false);
        var state = new ShardState(shardRecord, policy, tablets.Select(t => t.Value).ToArray());
        events.Emit(ReparentPhase.Preparation, ReparentEventKind.Info,
            $"shard {keyspace}/{shard}: {state.Tablets.Count} tablet(s) [{string.Join(", ", state.Infos.Select(i => i.ToString()))}], " +
            $"primary in shard record {state.ShardPrimaryAlias ?? "none"}, durability policy \"{policy.Name}\"" +
            (string.IsNullOrEmpty(keyspaceRecord.DurabilityPolicy) ? " (keyspace names none)" : ""));
        return state;
    }

    /// <summary>The tablet, or a clear error naming the shard's tablets.</summary>
    public Tablet Require(string alias, string role, string keyspace, string shard) =>
        ByAlias.TryGetValue(alias, out var tablet)
            ? tablet
            : throw new ReparentOperationException(
                $"{role} {alias} is not a tablet of shard {keyspace}/{shard} (its tablets: {(ByAlias.Count == 0 ? "none" : string.Join(", ", ByAlias.Keys))})");
}
