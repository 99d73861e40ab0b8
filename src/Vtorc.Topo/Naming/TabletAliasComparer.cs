using Topodata;

namespace Vtorc.Topo;

/// <summary>Vitess's alias order: by cell, then by uid numerically; null sorts first.</summary>
public sealed class TabletAliasComparer : IComparer<TabletAlias>
{
    public static TabletAliasComparer Instance { get; } = new();

    public int Compare(TabletAlias? x, TabletAlias? y) =>
        TabletAliasText.TryOrderByReference(x, y, out var order) ? order : TabletAliasText.Compare(x.Cell, x.Uid, y.Cell, y.Uid);
}
