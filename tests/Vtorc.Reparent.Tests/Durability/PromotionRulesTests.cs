using Vtorc.Reparent.Durability;

namespace Vtorc.Reparent.Tests.Durability;

public class PromotionRulesTests
{
    [Fact]
    public void Best_first_order_is_must_prefer_neutral_prefer_not_must_not()
    {
        Assert.Equal(
            [PromotionRule.Must, PromotionRule.Prefer, PromotionRule.Neutral, PromotionRule.PreferNot, PromotionRule.MustNot],
            PromotionRules.BestFirst);
        var shuffled = new[] { PromotionRule.MustNot, PromotionRule.Neutral, PromotionRule.Must, PromotionRule.PreferNot, PromotionRule.Prefer };
        Array.Sort(shuffled);
        Assert.Equal(PromotionRules.BestFirst, shuffled);
    }

    [Theory]
    [InlineData(PromotionRule.Must, PromotionRule.Prefer, true)]
    [InlineData(PromotionRule.Prefer, PromotionRule.Must, false)]
    [InlineData(PromotionRule.Neutral, PromotionRule.Neutral, false)]
    [InlineData(PromotionRule.PreferNot, PromotionRule.MustNot, true)]
    public void Better_than_follows_the_order(PromotionRule rule, PromotionRule other, bool better)
    {
        Assert.Equal(better, rule.IsBetterThan(other));
    }

    [Theory]
    [InlineData(PromotionRule.Must, "must")]
    [InlineData(PromotionRule.Prefer, "prefer")]
    [InlineData(PromotionRule.Neutral, "neutral")]
    [InlineData(PromotionRule.PreferNot, "prefer_not")]
    [InlineData(PromotionRule.MustNot, "must_not")]
    public void Text_round_trips(PromotionRule rule, string text)
    {
        Assert.Equal(text, rule.ToText());
        Assert.Equal(rule, PromotionRules.Parse(text));
    }

    [Fact]
    public void Unknown_text_is_a_clear_error()
    {
        var error = Assert.Throws<FormatException>(() => PromotionRules.Parse("Must"));
        Assert.Contains("\"Must\"", error.Message);
    }
}
