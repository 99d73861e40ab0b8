namespace Vtorc.Reparent.Durability;

/// <summary>Text forms ("must", "prefer", "neutral", "prefer_not", "must_not") and comparisons of <see cref="PromotionRule"/>.</summary>
internal static class PromotionRules
{
    /// <summary>Every rule, best first: the order in which ERS looks for its final candidate.</summary>
    public static IReadOnlyList<PromotionRule> BestFirst { get; } =
        [PromotionRule.Must, PromotionRule.Prefer, PromotionRule.Neutral, PromotionRule.PreferNot, PromotionRule.MustNot];

    public static bool IsBetterThan(this PromotionRule rule, PromotionRule other) => rule < other;

    public static string ToText(this PromotionRule rule) => rule switch
    {
        PromotionRule.Must => "must",
        PromotionRule.Prefer => "prefer",
        PromotionRule.Neutral => "neutral",
        PromotionRule.PreferNot => "prefer_not",
        PromotionRule.MustNot => "must_not",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Not a promotion rule."),
    };

    /// <exception cref="FormatException">The text is not one of the five rule names; the message quotes it.</exception>
    public static PromotionRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text switch
        {
            "must" => PromotionRule.Must,
            "prefer" => PromotionRule.Prefer,
            "neutral" => PromotionRule.Neutral,
            "prefer_not" => PromotionRule.PreferNot,
            "must_not" => PromotionRule.MustNot,
            _ => throw new FormatException(
                $"Unknown promotion rule \"{text}\"; expected one of must, prefer, neutral, prefer_not, must_not."),
        };
    }
}
