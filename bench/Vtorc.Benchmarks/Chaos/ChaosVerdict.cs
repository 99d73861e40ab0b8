namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Which findings break an invariant under which durability policy (docs/reliability.md, "Fault-injection suite"):
/// two writable servers and a shard left without a healthy primary always fail. Lost acknowledged rows fail under
/// semi_sync; under none they are reported but expected (asynchronous replication loses what the replicas had not
/// received). A diverged server fails under semi_sync; under none only in a run that lost no acknowledged row, since
/// divergence is how a lost write shows on the old primary. Under semi_sync a commit acknowledged without a replica's
/// acknowledgement fails too: it is a write a failover could have lost.
/// </summary>
internal static class ChaosVerdict
{
    public static IReadOnlyList<string> Violations(RunResult result, string durability)
    {
        ArgumentNullException.ThrowIfNull(result);
        var semiSync = durability != "none";
        var violations = new List<string>();
        if (result.Error is not null)
        {
            violations.Add($"run did not complete: {result.Error}");
        }
        if (result.TwoWritableMs > 0)
        {
            violations.Add($"two servers writable for {result.TwoWritableMs:0} ms");
        }
        if (result.UnhealedShards > 0)
        {
            violations.Add("shard left without a healthy primary");
        }
        if (semiSync && result.LostAckedRows > 0)
        {
            violations.Add($"{result.LostAckedRows} acknowledged rows lost");
        }
        if (semiSync && result.UnacknowledgedCommits > 0)
        {
            violations.Add($"{result.UnacknowledgedCommits} commits acknowledged without a replica's acknowledgement (semi-sync fell back to asynchronous)");
        }
        if (result.DivergedServers > 0 && (semiSync || result.LostAckedRows == 0))
        {
            violations.Add($"{result.DivergedServers} diverged servers");
        }
        return violations;
    }
}
