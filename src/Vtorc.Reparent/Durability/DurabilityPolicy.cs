namespace Vtorc.Reparent.Durability;

/// <summary>
/// A keyspace durability policy (go/vt/vtctl/reparentutil/policy/durability.go): which tablets may become primary and
/// how much, how many semi-sync acks a primary needs, and which replicas can give them. Policies are stateless and
/// thread-safe. Subclass it to add a custom policy and register it in a <see cref="DurabilityPolicyRegistry"/>.
/// </summary>
public abstract class DurabilityPolicy
{
    /// <summary>The name stored in the keyspace record's <c>durability_policy</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the policy uses semi-sync at all.</summary>
    public abstract bool HasSemiSync { get; }

    /// <summary>The promotion rule of a tablet; a missing tablet is never promotable.</summary>
    public PromotionRule PromotionRuleOf(TabletInfo? tablet) => tablet is null ? PromotionRule.MustNot : RuleFor(tablet);

    /// <summary>How many semi-sync acks <paramref name="primary"/> needs for each write.</summary>
    public int SemiSyncAckers(TabletInfo primary)
    {
        ArgumentNullException.ThrowIfNull(primary);
        return AckersNeeded(primary);
    }

    /// <summary>Whether <paramref name="primary"/> should run with semi-sync enabled (PromoteReplica, InitPrimary, UndoDemotePrimary).</summary>
    public bool RequiresSemiSync(TabletInfo primary) => SemiSyncAckers(primary) > 0;

    /// <summary>
    /// Whether <paramref name="replica"/> should enable semi-sync (can ack) while replicating from
    /// <paramref name="primary"/>; false when either is missing.
    /// </summary>
    public bool IsReplicaSemiSync(TabletInfo? primary, TabletInfo? replica) =>
        primary is not null && replica is not null && CanAck(primary, replica);

    /// <summary>The tablets of <paramref name="tablets"/>, other than <paramref name="primary"/> itself, that can ack for it.</summary>
    public IReadOnlyList<TabletInfo> SemiSyncAckersAmong(TabletInfo primary, IEnumerable<TabletInfo> tablets)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(tablets);
        var ackers = new List<TabletInfo>();
        foreach (var tablet in tablets)
        {
            if (tablet.Alias != primary.Alias && CanAck(primary, tablet))
            {
                ackers.Add(tablet);
            }
        }
        return ackers;
    }

    /// <summary>Like <see cref="SemiSyncAckersAmong"/> but only counts, without allocating.</summary>
    public int CountSemiSyncAckersAmong(TabletInfo primary, IEnumerable<TabletInfo> tablets)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(tablets);
        int count = 0;
        foreach (var tablet in tablets)
        {
            if (tablet.Alias != primary.Alias && CanAck(primary, tablet))
            {
                count++;
            }
        }
        return count;
    }

    public override string ToString() => Name;

    protected abstract PromotionRule RuleFor(TabletInfo tablet);

    protected abstract int AckersNeeded(TabletInfo primary);

    protected abstract bool CanAck(TabletInfo primary, TabletInfo replica);

    /// <summary>The rule every built-in policy starts from: PRIMARY and REPLICA are neutral, everything else must not.</summary>
    protected static PromotionRule NeutralForPrimaryAndReplica(TabletInfo tablet) => tablet.Type switch
    {
        Topodata.TabletType.Primary or Topodata.TabletType.Replica => PromotionRule.Neutral,
        _ => PromotionRule.MustNot,
    };
}
