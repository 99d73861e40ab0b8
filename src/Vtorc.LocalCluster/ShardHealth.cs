using Vtorc.Topo;

namespace Vtorc.LocalCluster;

/// <summary>
/// Whether a local shard is healthy, from the topology and from MySQL itself: what tests and benchmarks wait for after
/// a failure. Read directly, not through the orchestrator being tested.
/// </summary>
public static class ShardHealth
{
    /// <summary>The member the shard record names as primary, or null.</summary>
    public static async Task<AgentMember?> TopoPrimaryAsync(this AgentCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var alias = (await cluster.ShardRecordAsync().ConfigureAwait(false)).PrimaryAlias?.ToText();
        return string.IsNullOrEmpty(alias) ? null : cluster.Members.SingleOrDefault(m => m.AliasText == alias);
    }

    /// <summary>
    /// The primary when the shard is healthy: named in the shard record, its mysqld writable and not replicating, and
    /// every other member read-only and replicating from it with both threads running. Members in
    /// <paramref name="ignore"/> (e.g. killed) are skipped. Null otherwise, including while a server is mid-change.
    /// </summary>
    public static async Task<AgentMember?> HealthyPrimaryAsync(this AgentCluster cluster, params AgentMember[] ignore)
    {
        var primary = await cluster.TopoPrimaryAsync().ConfigureAwait(false);
        if (primary is null || ignore.Contains(primary))
        {
            return null;
        }
        try
        {
            if (await primary.IsReadOnlyAsync().ConfigureAwait(false) || await primary.ReplicaStatusAsync().ConfigureAwait(false) is not null)
            {
                return null;
            }
            foreach (var replica in cluster.Members.Where(m => m != primary && !ignore.Contains(m)))
            {
                if (!await replica.IsReadOnlyAsync().ConfigureAwait(false) || !await replica.ReplicatesFromAsync(primary).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }
        catch (Agent.MySql.MySqlCallException)
        {
            return null;
        }
        return primary;
    }
}
