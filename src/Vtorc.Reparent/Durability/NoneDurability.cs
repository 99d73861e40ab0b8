namespace Vtorc.Reparent.Durability;

/// <summary><c>none</c>: no semi-sync; PRIMARY and REPLICA tablets are promotable.</summary>
internal sealed class NoneDurability : DurabilityPolicy
{
    public override string Name => DurabilityPolicyNames.None;

    public override bool HasSemiSync => false;

    protected override PromotionRule RuleFor(TabletInfo tablet) => NeutralForPrimaryAndReplica(tablet);

    protected override int AckersNeeded(TabletInfo primary) => 0;

    protected override bool CanAck(TabletInfo primary, TabletInfo replica) => false;
}
