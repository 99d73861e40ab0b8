namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Which findings break an invariant under which durability policy (docs/reliability.md, "Fault-injection suite"):
/// two writable servers and a shard left without a healthy primary always fail. Lost acknowledged rows fail under
/// semi_sync; under none they are reported but expected (asynchronous replication loses what the replicas had not
/// received). A diverged server fails under semi_sync; under none it is how a lost write (or a commit whose client
/// never heard back) shows on the old primary, so it is reported and must be quarantined — read-only, not replicating
/// — which the healthy-shard check requires. Under semi_sync a server writable without waiting for acknowledgements
/// fails too: a write acknowledged then is one a failover could lose, even if this run's did not.
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
        if (semiSync && result.AsyncWritableMs > 0)
        {
            violations.Add($"a server was writable without waiting for semi-sync acknowledgements for {result.AsyncWritableMs:0} ms");
        }
        if (semiSync && result.DivergedServers > 0)
        {
            violations.Add($"{result.DivergedServers} diverged servers");
        }
        return violations;
    }
}
