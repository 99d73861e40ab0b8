using Topodata;

namespace Vtorc.Topo;

/// <summary>Vitess's alias order: by cell, then by uid numerically; null sorts first.</summary>
public sealed class TabletAliasComparer : IComparer<TabletAlias>
{
    public static TabletAliasComparer Instance { get; } = new();

    public int Compare(TabletAlias? x, TabletAlias? y)
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

        return TabletAliasText.Compare(x.Cell, x.Uid, y.Cell, y.Uid);
    }
}
