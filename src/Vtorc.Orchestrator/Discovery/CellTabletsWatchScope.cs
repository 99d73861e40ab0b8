using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>A cell's <c>tablets/</c> directory: <c>{alias}/Tablet</c> records (docs/wire-format.md, "Topology in etcd").</summary>
internal sealed class CellTabletsWatchScope(TopoServer topo, TopologyRefresher refresher, string cell) : TopologyWatchScope
{
    public override string Name => $"tablets of cell {cell}";

    public override string Directory => TopoPaths.TabletsDir;

    public override Task<ITopoConnection> ConnectionAsync(CancellationToken cancellationToken) => topo.ConnForCellAsync(cell, cancellationToken);

    public override Task<bool> RereadAsync(CancellationToken cancellationToken) => refresher.RefreshTabletsOfCellAsync(cell, cancellationToken);

    public override bool Apply(TopoChange change, string relativeKey)
    {
        if (relativeKey.Split('/') is not [var alias, TopoPaths.TabletFile])
        {
            return false;
        }
        if (change.AsFile() is { } file)
        {
            refresher.ApplyTabletRecord(cell, topo.Tablets.Decode(file).Value);
        }
        else
        {
            refresher.ApplyTabletDeleted(cell, alias);
        }
        return true;
    }
}
