using Topodata;
using Vtorc.Topo;

namespace Vtorc.Reparent;

/// <summary>
/// What the reparent decisions need to know about one tablet: its alias (<c>cell-uid</c>, e.g.
/// <c>zone1-0000000100</c>), its cell and its type in the topology. Decisions take these plain records rather than
/// topo records so they can be tested and benchmarked without a topology server.
/// </summary>
public sealed record TabletInfo
{
    public TabletInfo(string alias, string cell, TabletType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        ArgumentNullException.ThrowIfNull(cell);
        Alias = alias;
        Cell = cell;
        Type = type;
    }

    public string Alias { get; }

    public string Cell { get; }

    public TabletType Type { get; }

    /// <summary>Builds the record from an alias, taking the cell from the text before the last '-'.</summary>
    /// <exception cref="FormatException">The alias is not <c>cell-uid</c>; the message quotes it.</exception>
    public static TabletInfo FromAlias(string alias, TabletType type)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (!TabletAliasText.TrySplit(alias, out var cell, out _))
        {
            throw new FormatException(
                $"Invalid tablet alias \"{alias}\": expected <cell>-<uid> with a non-empty cell and a decimal uid, e.g. \"zone1-0000000100\".");
        }
        return new TabletInfo(alias, cell.ToString(), type);
    }

    public override string ToString() => $"{Alias} ({Type.ToName()})";
}
