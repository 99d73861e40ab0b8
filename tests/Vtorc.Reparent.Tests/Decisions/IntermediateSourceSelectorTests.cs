using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class IntermediateSourceSelectorTests
{
    private static RankedCandidate Candidate(string alias, string gtids, PromotionRule rule = PromotionRule.Neutral) =>
        new(Replica(alias), CandidatePosition.CombinedOnly(My(gtids)), rule);

    [Fact]
    public void The_most_advanced_candidate_is_the_source()
    {
        var choice = IntermediateSourceSelector.Choose(
            [Candidate("zone1-101", $"{UuidA}:1-9"), Candidate("zone1-102", $"{UuidA}:1-10"), Candidate("zone1-103", $"{UuidA}:1-8")], null);
        Assert.Equal("zone1-102", choice.Source.Alias);
        Assert.Equal(["zone1-102", "zone1-101", "zone1-103"], choice.Sorted.Select(c => c.Alias));
    }

    [Fact]
    public void Equally_advanced_candidates_are_separated_by_promotion_rule_then_alias()
    {
        var byRule = IntermediateSourceSelector.Choose(
            [Candidate("zone1-101", $"{UuidA}:1-10"), Candidate("zone2-0000000200", $"{UuidA}:1-10", PromotionRule.Prefer)], null);
        Assert.Equal("zone2-0000000200", byRule.Source.Alias);

        var byAlias = IntermediateSourceSelector.Choose(
            [Candidate("zone1-0000000102", $"{UuidA}:1-10"), Candidate("zone1-0000000101", $"{UuidA}:1-10")], null);
        Assert.Equal("zone1-0000000101", byAlias.Source.Alias);
    }

    [Fact]
    public void Diverged_candidates_are_split_brain()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => IntermediateSourceSelector.Choose(
            [Candidate("zone1-101", $"{UuidA}:1-10"), Candidate("zone1-102", $"{UuidA}:1-9,{UuidB}:1")], null));
        Assert.Equal("split brain detected between servers - zone1-101 and zone1-102", error.Summary);
        var reason = Assert.Single(error.Reasons);
        Assert.Contains($"{UuidB}:1", reason.Reason);
    }

    [Fact]
    public void A_requested_primary_as_advanced_as_the_winner_becomes_the_source()
    {
        var choice = IntermediateSourceSelector.Choose(
            [Candidate("zone1-101", $"{UuidA}:1-10"), Candidate("zone1-102", $"{UuidA}:1-10")], "zone1-102");
        Assert.Equal("zone1-102", choice.Source.Alias);
    }

    [Fact]
    public void A_less_advanced_requested_primary_does_not_become_the_source()
    {
        var choice = IntermediateSourceSelector.Choose(
            [Candidate("zone1-101", $"{UuidA}:1-10"), Candidate("zone1-102", $"{UuidA}:1-9")], "zone1-102");
        Assert.Equal("zone1-101", choice.Source.Alias);
    }

    [Fact]
    public void A_requested_primary_that_is_no_candidate_is_an_error_quoting_why()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => IntermediateSourceSelector.Choose(
            [Candidate("zone1-101", $"{UuidA}:1-10")], "zone1-102", [new CandidateRejection("zone1-102", "has errant GTIDs c:1")]));
        Assert.Equal("requested primary elect zone1-102 is not a valid candidate: zone1-102: has errant GTIDs c:1", error.Message);
    }

    [Fact]
    public void No_candidates_is_an_error()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => IntermediateSourceSelector.Choose([], null));
        Assert.Equal("no valid candidates for emergency reparent", error.Summary);
    }
}
