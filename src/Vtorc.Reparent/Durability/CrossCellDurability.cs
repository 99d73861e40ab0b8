using Topodata;

namespace Vtorc.Reparent.Durability;

/// <summary>
/// <c>cross_cell</c> and <c>cross_cell_with_rdonly_ack</c>: one ack per write, only from a replica in another cell
/// than the primary, so an acknowledged write survives the loss of a whole cell.
/// </summary>
internal sealed class CrossCellDurability : DurabilityPolicy
{
    private readonly bool _rdonlyCanAck;

    public CrossCellDurability(bool rdonlyCanAck = false)
    {
        _rdonlyCanAck = rdonlyCanAck;
    }

    public override string Name => _rdonlyCanAck ? DurabilityPolicyNames.CrossCellWithRdonlyAck : DurabilityPolicyNames.CrossCell;

    public override bool HasSemiSync => true;

    protected override PromotionRule RuleFor(TabletInfo tablet) => NeutralForPrimaryAndReplica(tablet);

    protected override int AckersNeeded(TabletInfo primary) => 1;

    protected override bool CanAck(TabletInfo primary, TabletInfo replica)
    {
        if (string.Equals(primary.Cell, replica.Cell, StringComparison.Ordinal))
        {
            return false;
        }
        return replica.Type switch
        {
            TabletType.Primary or TabletType.Replica => true,
            TabletType.Rdonly => _rdonlyCanAck,
            _ => false,
        };
    }
}
