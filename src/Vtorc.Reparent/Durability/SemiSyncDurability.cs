using Topodata;

namespace Vtorc.Reparent.Durability;

/// <summary>
/// <c>semi_sync</c> and <c>semi_sync_with_rdonly_ack</c>: one ack per write, from any PRIMARY- or REPLICA-typed
/// replica (and RDONLY ones with the rdonly variant), whatever its cell.
/// </summary>
internal sealed class SemiSyncDurability : DurabilityPolicy
{
    private readonly bool _rdonlyCanAck;

    public SemiSyncDurability(bool rdonlyCanAck = false)
    {
        _rdonlyCanAck = rdonlyCanAck;
    }

    public override string Name => _rdonlyCanAck ? DurabilityPolicyNames.SemiSyncWithRdonlyAck : DurabilityPolicyNames.SemiSync;

    public override bool HasSemiSync => true;

    protected override PromotionRule RuleFor(TabletInfo tablet) => NeutralForPrimaryAndReplica(tablet);

    protected override int AckersNeeded(TabletInfo primary) => 1;

    protected override bool CanAck(TabletInfo primary, TabletInfo replica) => replica.Type switch
    {
        TabletType.Primary or TabletType.Replica => true,
        TabletType.Rdonly => _rdonlyCanAck,
        _ => false,
    };
}
