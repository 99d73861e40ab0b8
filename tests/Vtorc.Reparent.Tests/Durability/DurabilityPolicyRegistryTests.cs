using Vtorc.Reparent.Durability;

namespace Vtorc.Reparent.Tests.Durability;

public class DurabilityPolicyRegistryTests
{
    private sealed class FakeAlwaysPreferPolicy : DurabilityPolicy
    {
        public override string Name => "always_prefer";

        public override bool HasSemiSync => false;

        protected override PromotionRule RuleFor(TabletInfo tablet) => PromotionRule.Prefer;

        protected override int AckersNeeded(TabletInfo primary) => 0;

        protected override bool CanAck(TabletInfo primary, TabletInfo replica) => false;
    }

    [Fact]
    public void Default_registry_holds_the_vitess_built_ins()
    {
        Assert.Equal(
            ["cross_cell", "cross_cell_with_rdonly_ack", "none", "semi_sync", "semi_sync_with_rdonly_ack", "test"],
            DurabilityPolicyRegistry.CreateDefault().Names);
    }

    [Theory]
    [InlineData("semi-sync")]
    [InlineData("SEMI_SYNC")]
    [InlineData("majority")]
    public void Unknown_name_names_the_policy_and_lists_the_registered_ones(string name)
    {
        var error = Assert.Throws<UnknownDurabilityPolicyException>(() => DurabilityPolicyRegistry.CreateDefault().Get(name));
        Assert.Equal(name, error.PolicyName);
        Assert.Contains($"\"{name}\"", error.Message);
        Assert.Contains("cross_cell, cross_cell_with_rdonly_ack, none, semi_sync, semi_sync_with_rdonly_ack, test", error.Message);
    }

    [Fact]
    public void Empty_name_is_an_error_too()
    {
        var error = Assert.Throws<UnknownDurabilityPolicyException>(() => DurabilityPolicyRegistry.CreateDefault().Get(""));
        Assert.Contains("\"\" (empty name)", error.Message);
        Assert.False(DurabilityPolicyRegistry.CreateDefault().TryGet("", out _));
    }

    [Fact]
    public void A_custom_policy_can_be_added_by_name()
    {
        var registry = DurabilityPolicyRegistry.CreateDefault();
        registry.Register(new FakeAlwaysPreferPolicy());
        var policy = registry.Get("always_prefer");
        Assert.Equal(PromotionRule.Prefer, policy.PromotionRuleOf(Fixtures.Rdonly("zone1-1")));
        Assert.Contains("always_prefer", registry.Names);
    }

    [Fact]
    public void Registering_a_name_twice_is_refused()
    {
        var registry = DurabilityPolicyRegistry.CreateDefault();
        var error = Assert.Throws<ArgumentException>(() => registry.Register(new SemiSyncDurability()));
        Assert.Contains("\"semi_sync\"", error.Message);
    }
}
