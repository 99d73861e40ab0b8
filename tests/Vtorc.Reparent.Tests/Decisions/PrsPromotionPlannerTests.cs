using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class PrsPromotionPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_current_primary_is_the_primary_with_the_newest_term()
    {
        Assert.Equal("zone1-101", PrsPromotionPlanner.FindCurrentPrimary(
        [
            new PrsPrimaryTerm(Primary("zone1-100"), T0),
            new PrsPrimaryTerm(Primary("zone1-101"), T0.AddMinutes(5)),
            new PrsPrimaryTerm(Replica("zone1-102"), T0.AddMinutes(9)),
        ]));
    }

    [Fact]
    public void Two_primaries_with_the_same_newest_term_mean_no_current_primary()
    {
        Assert.Null(PrsPromotionPlanner.FindCurrentPrimary(
            [new PrsPrimaryTerm(Primary("zone1-100"), T0), new PrsPrimaryTerm(Primary("zone1-101"), T0)]));
        Assert.Null(PrsPromotionPlanner.FindCurrentPrimary(
            [new PrsPrimaryTerm(Primary("zone1-100"), null), new PrsPrimaryTerm(Primary("zone1-101"), null)]));
    }

    [Fact]
    public void No_primary_typed_tablet_means_no_current_primary()
    {
        Assert.Null(PrsPromotionPlanner.FindCurrentPrimary([new PrsPrimaryTerm(Replica("zone1-102"), T0)]));
        Assert.Equal("zone1-100", PrsPromotionPlanner.FindCurrentPrimary(
            [new PrsPrimaryTerm(Primary("zone1-100"), null), new PrsPrimaryTerm(Replica("zone1-102"), T0)]));
    }

    [Theory]
    [InlineData(null, null, "zone1-101", nameof(PrsPromotionPath.InitialPromotion))]
    [InlineData(null, "zone1-100", "zone1-101", nameof(PrsPromotionPath.PotentialPromotion))]
    [InlineData("zone1-101", "zone1-101", "zone1-101", nameof(PrsPromotionPath.PartialPromotionRecovery))]
    [InlineData("zone1-100", "zone1-100", "zone1-101", nameof(PrsPromotionPath.Graceful))]
    public void Promotion_path(string? current, string? shardRecord, string elect, string expected)
    {
        // The path by name: a public test method cannot take the internal enum.
        Assert.Equal(expected, PrsPromotionPlanner.ChoosePath(current, shardRecord, elect).ToString());
    }

    [Fact]
    public void Potential_promotion_requires_the_elect_to_have_every_transaction()
    {
        PrsPromotionPlanner.VerifyPrimaryElectContainsAll("zone1-101", new Dictionary<string, ReplicationPosition>
        {
            ["zone1-100"] = My($"{UuidA}:1-10"),
            ["zone1-101"] = My($"{UuidA}:1-10"),
            ["zone1-102"] = My($"{UuidA}:1-9"),
        });

        var error = Assert.Throws<ReparentDecisionException>(() => PrsPromotionPlanner.VerifyPrimaryElectContainsAll("zone1-101",
            new Dictionary<string, ReplicationPosition>
            {
                ["zone1-100"] = My($"{UuidA}:1-11"),
                ["zone1-101"] = My($"{UuidA}:1-10"),
                ["zone1-102"] = My($"{UuidA}:1-9"),
            }));
        Assert.Equal(["zone1-100"], Aliases(error.Reasons));
    }
}
