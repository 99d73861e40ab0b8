using Topodata;

namespace Vtorc.Topo;

/// <summary>
/// Tablet record writes that also keep the cell's ShardReplication record in step, as Vitess's
/// <c>CreateTablet</c> / <c>DeleteTablet</c> do (the shard's tablet list is read from ShardReplication).
/// </summary>
public static class TabletRegistration
{
    /// <summary>Creates the Tablet record (<see cref="TopoErrorKind.NodeExists"/> if present) and lists it in its shard's ShardReplication.</summary>
    public static async Task<TopoRecord<Tablet>> CreateTabletAsync(this TopoServer topo, Tablet tablet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tablet.Alias);
        var record = await topo.Tablets.CreateAsync(tablet.Alias, tablet, cancellationToken).ConfigureAwait(false);
        await topo.UpdateTabletReplicationDataAsync(tablet, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Adds the tablet to <c>ShardReplication</c> of its cell/keyspace/shard (creating the record), if not already there.</summary>
    public static Task<TopoRecord<ShardReplication>> UpdateTabletReplicationDataAsync(this TopoServer topo, Tablet tablet, CancellationToken cancellationToken)
    {
        var alias = tablet.Alias;
        return topo.ShardReplications.UpdateOrCreateFieldsAsync((alias.Cell, tablet.Keyspace, tablet.Shard), replication =>
        {
            if (!replication.Nodes.Any(n => n.TabletAlias is { } a && a.Cell == alias.Cell && a.Uid == alias.Uid))
            {
                replication.Nodes.Add(new ShardReplication.Types.Node { TabletAlias = alias.Clone() });
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes the Tablet record (<see cref="TopoErrorKind.NoNode"/> if absent) and removes it from its shard's
    /// ShardReplication. Whether the tablet may be deleted (e.g. it is the shard's primary) is the caller's decision.
    /// </summary>
    public static async Task DeleteTabletAsync(this TopoServer topo, TabletAlias alias, CancellationToken cancellationToken)
    {
        var tablet = await topo.Tablets.GetAsync(alias, cancellationToken).ConfigureAwait(false);
        await topo.Tablets.DeleteAsync(alias, null, cancellationToken).ConfigureAwait(false);
        try
        {
            await topo.ShardReplications.UpdateFieldsAsync((alias.Cell, tablet.Value.Keyspace, tablet.Value.Shard), replication =>
            {
                var stale = replication.Nodes.Where(n => n.TabletAlias is { } a && a.Cell == alias.Cell && a.Uid == alias.Uid).ToList();
                foreach (var node in stale)
                {
                    replication.Nodes.Remove(node);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TopoException e) when (e.Kind == TopoErrorKind.NoNode)
        {
            // No replication record for that shard in this cell: nothing to remove.
        }
    }
}
