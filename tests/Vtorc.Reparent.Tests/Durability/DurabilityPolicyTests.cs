using Topodata;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Durability;

public class DurabilityPolicyTests
{
    private static readonly DurabilityPolicyRegistry Registry = DurabilityPolicyRegistry.CreateDefault();

    public static TheoryData<string> AllPolicies => new()
    {
        DurabilityPolicyNames.None, DurabilityPolicyNames.SemiSync, DurabilityPolicyNames.SemiSyncWithRdonlyAck,
        DurabilityPolicyNames.CrossCell, DurabilityPolicyNames.CrossCellWithRdonlyAck, DurabilityPolicyNames.Test,
    };

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public void Primary_and_replica_are_neutral_every_other_type_must_not(string name)
    {
        var policy = Registry.Get(name);
        Assert.Equal(PromotionRule.Neutral, policy.PromotionRuleOf(OfType("zone1-100", TabletType.Primary)));
        Assert.Equal(PromotionRule.Neutral, policy.PromotionRuleOf(OfType("zone1-100", TabletType.Master)));
        Assert.Equal(PromotionRule.Neutral, policy.PromotionRuleOf(OfType("zone1-100", TabletType.Replica)));
        foreach (var type in new[] { TabletType.Rdonly, TabletType.Spare, TabletType.Experimental, TabletType.Backup,
                     TabletType.Restore, TabletType.Drained, TabletType.Unknown })
        {
            Assert.Equal(PromotionRule.MustNot, policy.PromotionRuleOf(OfType("zone1-100", type)));
        }
    }

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public void A_missing_tablet_is_must_not_and_never_acks(string name)
    {
        var policy = Registry.Get(name);
        Assert.Equal(PromotionRule.MustNot, policy.PromotionRuleOf(null));
        Assert.False(policy.IsReplicaSemiSync(null, Replica("zone2-101")));
        Assert.False(policy.IsReplicaSemiSync(Primary("zone1-100"), null));
    }

    [Theory]
    [InlineData(DurabilityPolicyNames.None, 0, false)]
    [InlineData(DurabilityPolicyNames.SemiSync, 1, true)]
    [InlineData(DurabilityPolicyNames.SemiSyncWithRdonlyAck, 1, true)]
    [InlineData(DurabilityPolicyNames.CrossCell, 1, true)]
    [InlineData(DurabilityPolicyNames.CrossCellWithRdonlyAck, 1, true)]
    [InlineData(DurabilityPolicyNames.Test, 0, false)]
    public void Ackers_needed_and_semi_sync_use(string name, int acks, bool hasSemiSync)
    {
        var policy = Registry.Get(name);
        Assert.Equal(name, policy.Name);
        Assert.Equal(acks, policy.SemiSyncAckers(Primary("zone1-100")));
        Assert.Equal(acks > 0, policy.RequiresSemiSync(Primary("zone1-100")));
        Assert.Equal(hasSemiSync, policy.HasSemiSync);
    }

    // Replica type × same/other cell → can it ack for a primary in zone1?
    [Theory]
    [InlineData(DurabilityPolicyNames.None, TabletType.Replica, "zone1", false)]
    [InlineData(DurabilityPolicyNames.None, TabletType.Replica, "zone2", false)]
    [InlineData(DurabilityPolicyNames.None, TabletType.Rdonly, "zone2", false)]
    [InlineData(DurabilityPolicyNames.SemiSync, TabletType.Replica, "zone1", true)]
    [InlineData(DurabilityPolicyNames.SemiSync, TabletType.Replica, "zone2", true)]
    [InlineData(DurabilityPolicyNames.SemiSync, TabletType.Primary, "zone1", true)]
    [InlineData(DurabilityPolicyNames.SemiSync, TabletType.Rdonly, "zone1", false)]
    [InlineData(DurabilityPolicyNames.SemiSync, TabletType.Rdonly, "zone2", false)]
    [InlineData(DurabilityPolicyNames.SemiSync, TabletType.Backup, "zone1", false)]
    [InlineData(DurabilityPolicyNames.SemiSync, TabletType.Spare, "zone1", false)]
    [InlineData(DurabilityPolicyNames.SemiSyncWithRdonlyAck, TabletType.Rdonly, "zone1", true)]
    [InlineData(DurabilityPolicyNames.SemiSyncWithRdonlyAck, TabletType.Replica, "zone1", true)]
    [InlineData(DurabilityPolicyNames.SemiSyncWithRdonlyAck, TabletType.Drained, "zone1", false)]
    [InlineData(DurabilityPolicyNames.CrossCell, TabletType.Replica, "zone1", false)]
    [InlineData(DurabilityPolicyNames.CrossCell, TabletType.Replica, "zone2", true)]
    [InlineData(DurabilityPolicyNames.CrossCell, TabletType.Primary, "zone2", true)]
    [InlineData(DurabilityPolicyNames.CrossCell, TabletType.Rdonly, "zone2", false)]
    [InlineData(DurabilityPolicyNames.CrossCell, TabletType.Experimental, "zone2", false)]
    [InlineData(DurabilityPolicyNames.CrossCellWithRdonlyAck, TabletType.Rdonly, "zone2", true)]
    [InlineData(DurabilityPolicyNames.CrossCellWithRdonlyAck, TabletType.Rdonly, "zone1", false)]
    [InlineData(DurabilityPolicyNames.CrossCellWithRdonlyAck, TabletType.Replica, "zone1", false)]
    [InlineData(DurabilityPolicyNames.CrossCellWithRdonlyAck, TabletType.Replica, "zone2", true)]
    [InlineData(DurabilityPolicyNames.Test, TabletType.Replica, "zone2", false)]
    public void Which_replicas_can_ack(string name, TabletType replicaType, string replicaCell, bool canAck)
    {
        var policy = Registry.Get(name);
        var primary = Primary("zone1-0000000100");
        var replica = OfType(replicaCell + "-0000000101", replicaType);
        Assert.Equal(canAck, policy.IsReplicaSemiSync(primary, replica));
    }

    [Fact]
    public void Test_policy_prefers_one_fixed_tablet()
    {
        var policy = Registry.Get(DurabilityPolicyNames.Test);
        Assert.Equal(PromotionRule.Prefer, policy.PromotionRuleOf(Replica(TestDurability.PreferredAlias)));
        Assert.Equal(PromotionRule.Prefer, policy.PromotionRuleOf(Rdonly(TestDurability.PreferredAlias)));
        Assert.Equal(PromotionRule.Neutral, policy.PromotionRuleOf(Replica("zone2-0000000201")));
    }

    [Fact]
    public void Ackers_among_tablets_exclude_the_primary_itself()
    {
        var policy = Registry.Get(DurabilityPolicyNames.SemiSync);
        var primary = Primary("zone1-100");
        TabletInfo[] tablets = [primary, Replica("zone1-101"), Replica("zone2-102"), Rdonly("zone1-103")];
        Assert.Equal(["zone1-101", "zone2-102"], policy.SemiSyncAckersAmong(primary, tablets).Select(t => t.Alias));
        Assert.Equal(2, policy.CountSemiSyncAckersAmong(primary, tablets));

        var crossCell = Registry.Get(DurabilityPolicyNames.CrossCell);
        Assert.Equal(["zone2-102"], crossCell.SemiSyncAckersAmong(primary, tablets).Select(t => t.Alias));
    }
}
