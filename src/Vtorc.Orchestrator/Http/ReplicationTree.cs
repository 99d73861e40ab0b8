using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Http;

/// <summary>One tablet of a shard in display order, with how deep it sits under its replication source.</summary>
/// <param name="Source">The tablet it replicates from, when that is a tablet of the shard.</param>
internal sealed record ReplicationTreeRow(TabletRecord Tablet, InstanceObservation? Observation, int Depth, TabletRecord? Source);

/// <summary>
/// Orders a shard's tablets as a replication tree for the status page: every tablet right after its source,
/// one level deeper. Replication links are matched on the MySQL host:port the replica reports, as the analysis
/// does. Roots (not replicating from a tablet of the shard) come first the topo primary, then by alias; a
/// replication loop is broken where it is first entered. Pure.
/// </summary>
internal static class ReplicationTree
{
    public static IReadOnlyList<ReplicationTreeRow> Of(ShardSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var tablets = snapshot.Tablets.OrderBy(t => t.Alias, StringComparer.Ordinal).ToList();
        var byEndpoint = new Dictionary<(string, int), TabletRecord>();
        foreach (var tablet in tablets)
        {
            byEndpoint.TryAdd((tablet.MysqlHostname, tablet.MysqlPort), tablet);
        }

        var sourceOf = new Dictionary<string, TabletRecord>(StringComparer.Ordinal);
        var children = new Dictionary<string, List<TabletRecord>>(StringComparer.Ordinal);
        foreach (var tablet in tablets)
        {
            if (snapshot.Observations.TryGetValue(tablet.Alias, out var observation) && !observation.ReplicatesFromNobody
                && byEndpoint.TryGetValue((observation.SourceHost, observation.SourcePort), out var source) && source != tablet)
            {
                sourceOf[tablet.Alias] = source;
                if (!children.TryGetValue(source.Alias, out var list))
                {
                    children[source.Alias] = list = [];
                }
                list.Add(tablet);
            }
        }

        var rows = new List<ReplicationTreeRow>(tablets.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var roots = tablets.Where(t => !sourceOf.ContainsKey(t.Alias))
            .OrderBy(t => t.Alias == snapshot.Shard.PrimaryAlias ? 0 : 1)
            .ThenBy(t => t.Alias, StringComparer.Ordinal);
        foreach (var root in roots)
        {
            Place(root, 0, null);
        }
        // Whatever is left sits on a replication loop (no root above it): show it from where the loop is entered.
        foreach (var tablet in tablets)
        {
            if (!placed.Contains(tablet.Alias))
            {
                Place(tablet, 0, sourceOf.GetValueOrDefault(tablet.Alias));
            }
        }
        return rows;

        void Place(TabletRecord tablet, int depth, TabletRecord? source)
        {
            if (!placed.Add(tablet.Alias))
            {
                return;
            }
            rows.Add(new ReplicationTreeRow(tablet, snapshot.Observations.GetValueOrDefault(tablet.Alias), depth, source));
            foreach (var child in children.GetValueOrDefault(tablet.Alias) ?? [])
            {
                Place(child, depth + 1, tablet);
            }
        }
    }
}
