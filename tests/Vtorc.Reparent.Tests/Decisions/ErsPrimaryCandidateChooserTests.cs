using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class ErsPrimaryCandidateChooserTests
{
    private static RankedCandidate Candidate(string alias, PromotionRule rule = PromotionRule.Neutral) =>
        new(Replica(alias), CandidatePosition.CombinedOnly(My($"{UuidA}:1-10")), rule);

    [Fact]
    public void A_better_promotion_rule_wins_over_position_order()
    {
        var choice = ErsPrimaryCandidateChooser.Identify("zone1-101",
            [Candidate("zone1-101"), Candidate("zone1-102", PromotionRule.PreferNot), Candidate("zone1-103", PromotionRule.Prefer)], null);
        Assert.Equal("zone1-103", choice.Alias);
    }

    [Fact]
    public void Must_beats_prefer()
    {
        var choice = ErsPrimaryCandidateChooser.Identify("zone1-101",
            [Candidate("zone1-101", PromotionRule.Prefer), Candidate("zone1-102", PromotionRule.Must)], null);
        Assert.Equal("zone1-102", choice.Alias);
    }

    [Fact]
    public void The_intermediate_source_wins_among_equal_rules_even_if_not_first()
    {
        var choice = ErsPrimaryCandidateChooser.Identify("zone1-102", [Candidate("zone1-101"), Candidate("zone1-102")], null);
        Assert.Equal("zone1-102", choice.Alias);
    }

    [Fact]
    public void Without_the_source_the_first_candidate_of_the_best_rule_wins()
    {
        var choice = ErsPrimaryCandidateChooser.Identify("zone1-109",
            [Candidate("zone1-101", PromotionRule.PreferNot), Candidate("zone1-102"), Candidate("zone1-103")], null);
        Assert.Equal("zone1-102", choice.Alias);
    }

    [Fact]
    public void A_requested_candidate_is_taken_whatever_its_rule()
    {
        var choice = ErsPrimaryCandidateChooser.Identify("zone1-101",
            [Candidate("zone1-101", PromotionRule.Must), Candidate("zone1-102", PromotionRule.PreferNot)], "zone1-102");
        Assert.Equal("zone1-102", choice.Alias);
    }

    [Fact]
    public void A_requested_candidate_missing_from_the_list_is_an_error()
    {
        var error = Assert.Throws<ReparentDecisionException>(() =>
            ErsPrimaryCandidateChooser.Identify("zone1-101", [Candidate("zone1-101")], "zone1-102"));
        Assert.Equal("requested candidate zone1-102 is not in valid candidates list", error.Summary);
    }

    [Fact]
    public void An_empty_list_is_no_valid_candidates_with_the_reasons()
    {
        var error = Assert.Throws<ReparentDecisionException>(() =>
            ErsPrimaryCandidateChooser.Identify("zone1-101", [], null, [new CandidateRejection("zone1-104", "promotion rule must_not")]));
        Assert.Equal("no valid candidates for emergency reparent: zone1-104: promotion rule must_not", error.Message);
    }
}
