namespace Vtorc.Orchestrator.Recovery;

/// <summary>What a successful recovery function reports.</summary>
/// <param name="PromotedAlias">The new primary of an ERS/PRS recovery; null for the others.</param>
public sealed record RecoveryActionResult(string? PromotedAlias = null)
{
    public static RecoveryActionResult Done { get; } = new();
}
