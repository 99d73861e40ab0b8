namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// A replica that holds transactions of its primary's own stream which the primary lacks (see
/// <see cref="PrimaryBehindReplicas"/>): what it holds, where the primary's binary log ends, and whether its last poll
/// succeeded (an emergency reparent can only elect a replica it reaches).
/// </summary>
internal sealed record ReplicaAheadOfPrimary(string ReplicaAlias, string PrimaryAlias, string Holds, string PrimaryEnd, bool ReplicaReachable)
{
    /// <summary>What was found, in the words of log lines and recovery steps.</summary>
    public string Describe() => $"replica {ReplicaAlias} holds {Holds}, primary {PrimaryAlias}'s binary log ends at {PrimaryEnd}";

    /// <summary>Each finding described, joined for one message.</summary>
    public static string DescribeAll(IEnumerable<ReplicaAheadOfPrimary> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        return string.Join("; ", found.Select(f => f.Describe()));
    }
}
