namespace Vtorc.Reparent.Durability;

/// <summary>
/// <c>test</c>: Vitess's policy for its own tests — like <c>none</c>, except that one fixed tablet
/// (<see cref="PreferredAlias"/>) has the Prefer rule, which makes promotion-rule tie-breaks observable.
/// </summary>
internal sealed class TestDurability : DurabilityPolicy
{
    public const string PreferredAlias = "zone2-0000000200";

    public override string Name => DurabilityPolicyNames.Test;

    public override bool HasSemiSync => false;

    protected override PromotionRule RuleFor(TabletInfo tablet) =>
        tablet.Alias == PreferredAlias ? PromotionRule.Prefer : NeutralForPrimaryAndReplica(tablet);

    protected override int AckersNeeded(TabletInfo primary) => 0;

    protected override bool CanAck(TabletInfo primary, TabletInfo replica) => false;
}
