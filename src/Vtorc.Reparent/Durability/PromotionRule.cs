namespace Vtorc.Reparent.Durability;

/// <summary>
/// How much a durability policy wants a tablet to become primary (orchestrator heritage). The numeric order is the
/// preference order: a smaller value is better, so sorting ascending puts the most wanted tablet first.
/// </summary>
public enum PromotionRule
{
    Must = 0,
    Prefer = 1,
    Neutral = 2,
    PreferNot = 3,
    MustNot = 4,
}
