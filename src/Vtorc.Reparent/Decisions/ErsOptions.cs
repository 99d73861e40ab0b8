namespace Vtorc.Reparent.Decisions;

/// <summary>
/// The ERS options that change its decisions. VTOrc sets no new primary and takes
/// <see cref="PreventCrossCellPromotion"/> from <c>--prevent-cross-cell-failover</c>.
/// </summary>
public sealed record ErsOptions(string? NewPrimaryAlias = null, bool PreventCrossCellPromotion = false)
{
    public static ErsOptions Default { get; } = new();
}
