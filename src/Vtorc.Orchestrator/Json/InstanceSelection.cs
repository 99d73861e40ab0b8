using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// Which instances <c>/api/problems</c> and <c>/api/errant-gtids</c> list (go/vt/vtorc/server/api.go,
/// go/vt/vtorc/inst/instance_dao.go), as a pure function of the shard snapshots, the settings and the time. Like VTOrc,
/// only tablets with an observation are considered (a never-polled tablet has no instance row, so VTOrc's query cannot
/// match it), ordered by alias.
/// </summary>
internal static class InstanceSelection
{
    /// <summary>VTOrc's answer (HTTP 400) to a shard filter without a keyspace.</summary>
    public const string ShardWithoutKeyspaceMessage = "Filtering by shard without keyspace isn't supported";

    /// <summary>
    /// Instances with a problem: the last poll failed, no poll for more than five poll intervals, a replication
    /// thread neither running nor absent, lag differing from the configured delay by more than the reasonable lag,
    /// or errant GTIDs. This is VTOrc's query, which is a little wider than the <c>Problems</c> strings (a replica
    /// with only one replication thread configured is listed with no string).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="shard"/> given without <paramref name="keyspace"/>.</exception>
    public static IReadOnlyList<InstanceEntry> WithProblems(IEnumerable<ShardSnapshot> snapshots, AnalysisSettings settings,
        DateTimeOffset now, string? keyspace = null, string? shard = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Select(snapshots, keyspace, shard, o => HasProblem(o, settings, now));
    }

    /// <summary>Instances with a non-empty errant GTID set.</summary>
    /// <exception cref="ArgumentException"><paramref name="shard"/> given without <paramref name="keyspace"/>.</exception>
    public static IReadOnlyList<InstanceEntry> WithErrantGtids(IEnumerable<ShardSnapshot> snapshots, string? keyspace = null,
        string? shard = null) =>
        Select(snapshots, keyspace, shard, o => o.GtidErrant.Length != 0);

    /// <summary>The API's keyspace/shard filter: empty or null matches everything, otherwise exact names.</summary>
    public static bool Matches(string keyspace, string shard, string? keyspaceFilter, string? shardFilter) =>
        (string.IsNullOrEmpty(keyspaceFilter) || string.Equals(keyspace, keyspaceFilter, StringComparison.Ordinal))
        && (string.IsNullOrEmpty(shardFilter) || string.Equals(shard, shardFilter, StringComparison.Ordinal));

    private static bool HasProblem(InstanceObservation o, AnalysisSettings settings, DateTimeOffset now)
    {
        if (o.LastSeen < o.LastChecked || !InstanceProblems.IsRecentlyChecked(o, settings, now))
        {
            return true;
        }
        if (!IsRunningOrAbsent(o.ReplicationSqlThreadState) || !IsRunningOrAbsent(o.ReplicationIoThreadState))
        {
            return true;
        }
        if (o.ReplicationLagSeconds is { } lag && Math.Abs(lag - o.SqlDelay) > settings.ReasonableReplicationLagSeconds)
        {
            return true;
        }
        return o.GtidErrant.Length != 0;
    }

    private static bool IsRunningOrAbsent(ReplicationThreadState state) =>
        state is ReplicationThreadState.NoThread or ReplicationThreadState.Running;

    private static List<InstanceEntry> Select(IEnumerable<ShardSnapshot> snapshots, string? keyspace, string? shard,
        Func<InstanceObservation, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (string.IsNullOrEmpty(keyspace) && !string.IsNullOrEmpty(shard))
        {
            throw new ArgumentException(ShardWithoutKeyspaceMessage, nameof(shard));
        }
        var selected = new List<InstanceEntry>();
        foreach (var snapshot in snapshots)
        {
            if (!Matches(snapshot.Keyspace.Name, snapshot.Shard.Shard, keyspace, shard))
            {
                continue;
            }
            foreach (var tablet in snapshot.Tablets)
            {
                if (snapshot.Observations.TryGetValue(tablet.Alias, out var observation) && predicate(observation))
                {
                    selected.Add(new InstanceEntry(tablet, observation));
                }
            }
        }
        // Aliases are unique in a real topology; keyspace and shard only make the order total for odd inputs.
        selected.Sort((a, b) =>
        {
            int byAlias = string.CompareOrdinal(a.Tablet.Alias, b.Tablet.Alias);
            int byKeyspace = byAlias != 0 ? byAlias : string.CompareOrdinal(a.Tablet.Keyspace, b.Tablet.Keyspace);
            return byKeyspace != 0 ? byKeyspace : string.CompareOrdinal(a.Tablet.Shard, b.Tablet.Shard);
        });
        return selected;
    }
}
