namespace Vtorc.Topo;

/// <summary>
/// Orders alias strings as <see cref="TabletAliasComparer"/> orders <c>TabletAlias</c> values: by cell (ordinal), then
/// by uid as a number, so <c>zone1-99</c> sorts before <c>zone1-100</c>. The reparent decisions use it as the last,
/// deterministic tie-break of every candidate choice.
/// </summary>
public sealed class TabletAliasOrder : IComparer<string>
{
    public static TabletAliasOrder Instance { get; } = new();

    private TabletAliasOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (TabletAliasText.TryOrderByReference(x, y, out var order))
        {
            return order;
        }
        // A malformed alias cannot be ordered by uid; ordinal order keeps the comparer total instead of throwing
        // in the middle of a sort (inputs are validated where they enter, see TabletInfo.FromAlias).
        if (!TabletAliasText.TrySplit(x, out var xCell, out var xUid) || !TabletAliasText.TrySplit(y, out var yCell, out var yUid))
        {
            return string.CompareOrdinal(x, y);
        }
        int byAlias = TabletAliasText.Compare(xCell, xUid, yCell, yUid);
        return byAlias != 0 ? byAlias : string.CompareOrdinal(x, y);
    }
}
