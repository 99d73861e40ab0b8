namespace Vtorc.Reparent;

/// <summary>
/// Orders alias strings the way Vitess orders <c>TabletAlias</c> values: by cell (ordinal), then by uid as a number,
/// so <c>zone1-99</c> sorts before <c>zone1-100</c>. This is the last, deterministic tie-break of every candidate
/// choice.
/// </summary>
public sealed class TabletAliasOrder : IComparer<string>
{
    public static TabletAliasOrder Instance { get; } = new();

    private TabletAliasOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        // A malformed alias cannot be ordered by uid; ordinal order keeps the comparer total instead of throwing
        // in the middle of a sort (inputs are validated where they enter, see TabletInfo.FromAlias).
        if (!TrySplit(x, out var xCell, out var xUid) || !TrySplit(y, out var yCell, out var yUid))
        {
            return string.CompareOrdinal(x, y);
        }
        int byCell = xCell.SequenceCompareTo(yCell);
        if (byCell != 0)
        {
            return byCell;
        }
        int byUid = xUid.CompareTo(yUid);
        return byUid != 0 ? byUid : string.CompareOrdinal(x, y);
    }

    /// <summary>Splits <c>cell-uid</c> on the last '-'; false when the cell is empty or the uid is not a decimal uint32.</summary>
    public static bool TrySplit(string alias, out ReadOnlySpan<char> cell, out uint uid)
    {
        ArgumentNullException.ThrowIfNull(alias);
        int dash = alias.LastIndexOf('-');
        if (dash <= 0 || dash == alias.Length - 1)
        {
            cell = default;
            uid = 0;
            return false;
        }
        var digits = alias.AsSpan(dash + 1);
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                cell = default;
                uid = 0;
                return false;
            }
        }
        if (!uint.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uid))
        {
            cell = default;
            return false;
        }
        cell = alias.AsSpan(0, dash);
        return true;
    }
}
