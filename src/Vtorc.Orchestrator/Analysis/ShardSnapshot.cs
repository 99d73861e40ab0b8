using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Everything the analysis of one shard reads, frozen: the keyspace and shard records, the shard's tablet records,
/// the latest observation of each tablet's MySQL (a tablet without one was never reached: "invalid"), and the
/// keyspace's durability policy — or why it could not be resolved.
/// </summary>
public sealed class ShardSnapshot
{
    private ShardSnapshot(KeyspaceRecord keyspace, ShardRecord shard, TabletRecord[] tablets,
        IReadOnlyDictionary<string, InstanceObservation> observations, DurabilityPolicy? durability, string? durabilityProblem,
        IReadOnlyDictionary<string, DateTimeOffset> awaitingFirstPoll)
    {
        AwaitingFirstPoll = awaitingFirstPoll;
        Keyspace = keyspace;
        Shard = shard;
        Tablets = tablets;
        Observations = observations;
        Durability = durability;
        DurabilityProblem = durabilityProblem;
    }

    public KeyspaceRecord Keyspace { get; }

    public ShardRecord Shard { get; }

    public IReadOnlyList<TabletRecord> Tablets { get; }

    /// <summary>
    /// Latest observation by tablet alias, taken as given (pass a dictionary nobody mutates afterwards); observations
    /// of aliases not in <see cref="Tablets"/> are ignored.
    /// </summary>
    public IReadOnlyDictionary<string, InstanceObservation> Observations { get; }

    /// <summary>
    /// Tablets of the shard whose first poll by this process has not ended, with when they were discovered (empty for a
    /// snapshot read from a file): the analysis waits for them (<see cref="AnalysisSettings.FirstPollWait"/>).
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> AwaitingFirstPoll { get; }

    /// <summary>The keyspace's policy; null when none is set or the name is unknown (see <see cref="DurabilityProblem"/>).</summary>
    public DurabilityPolicy? Durability { get; }

    /// <summary>Why <see cref="Durability"/> is null, in the words the daemon logs; null when resolved.</summary>
    public string? DurabilityProblem { get; }

    /// <summary>Builds a snapshot, resolving the keyspace's durability policy by name in <paramref name="policies"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The shard record is of another keyspace, or a tablet belongs to another keyspace/shard, or two tablets share an alias.
    /// </exception>
    public static ShardSnapshot Create(KeyspaceRecord keyspace, ShardRecord shard, IEnumerable<TabletRecord> tablets,
        IReadOnlyDictionary<string, InstanceObservation> observations, DurabilityPolicyRegistry policies,
        IReadOnlyDictionary<string, DateTimeOffset>? awaitingFirstPoll = null)
    {
        ArgumentNullException.ThrowIfNull(keyspace);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(tablets);
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(policies);
        if (!string.Equals(keyspace.Name, shard.Keyspace, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Shard record \"{shard.Keyspace}/{shard.Shard}\" does not belong to keyspace \"{keyspace.Name}\".", nameof(shard));
        }
        var list = tablets.ToArray();
        // Shards hold a handful of tablets: a pairwise duplicate check beats allocating a set for every snapshot.
        var seen = list.Length > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (int i = 0; i < list.Length; i++)
        {
            var tablet = list[i];
            ArgumentNullException.ThrowIfNull(tablet, nameof(tablets));
            if (!string.Equals(tablet.Keyspace, shard.Keyspace, StringComparison.Ordinal)
                || !string.Equals(tablet.Shard, shard.Shard, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Tablet \"{tablet.Alias}\" belongs to \"{tablet.Keyspace}/{tablet.Shard}\", not to shard \"{shard.Keyspace}/{shard.Shard}\".",
                    nameof(tablets));
            }
            if (seen is null ? AppearsBefore(list, i) : !seen.Add(tablet.Alias))
            {
                throw new ArgumentException($"Tablet \"{tablet.Alias}\" appears twice in shard \"{shard.Keyspace}/{shard.Shard}\".", nameof(tablets));
            }
        }

        DurabilityPolicy? durability = null;
        string? problem = null;
        if (string.IsNullOrEmpty(keyspace.DurabilityPolicy))
        {
            problem = $"ignoring keyspace {keyspace.Name} because no durability_policy is set. Please set it using SetKeyspaceDurabilityPolicy";
        }
        else if (!policies.TryGet(keyspace.DurabilityPolicy, out durability))
        {
            problem = $"can't get the durability policy \"{keyspace.DurabilityPolicy}\" of keyspace {keyspace.Name}: "
                + $"not a registered policy (registered: {string.Join(", ", policies.Names)}). Skipping keyspace {keyspace.Name}";
        }
        return new ShardSnapshot(keyspace, shard, list, observations, durability, problem, awaitingFirstPoll ?? NoneAwaiting);
    }

    private static readonly IReadOnlyDictionary<string, DateTimeOffset> NoneAwaiting =
        System.Collections.Immutable.ImmutableDictionary<string, DateTimeOffset>.Empty;

    private static bool AppearsBefore(TabletRecord[] list, int index)
    {
        for (int i = 0; i < index; i++)
        {
            if (string.Equals(list[i].Alias, list[index].Alias, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
