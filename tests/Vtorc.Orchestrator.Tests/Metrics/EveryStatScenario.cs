using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Metrics;

/// <summary>Gives every VTOrc stat a known, non-default value, so the renderers can be checked stat by stat.</summary>
internal static class EveryStatScenario
{
    public static VtorcMetrics Create()
    {
        var m = new VtorcMetrics();
        m.AddPendingRecoveries(1);
        m.AddPendingRecoveries(1);
        m.AddPendingRecoveries(-1);
        m.AddShardLocksActive(1);
        m.ObserveShardLockTiming("Lock", TimeSpan.FromMilliseconds(2));

        var deadPrimary = new RecoveryMetricLabels("RecoverDeadPrimary", "ks", "0");
        m.CountRecovery(deadPrimary);
        m.CountRecovery(deadPrimary);
        m.CountSuccessfulRecovery(deadPrimary);
        m.CountFailedRecovery(new RecoveryMetricLabels("FixReplica", "ks", "-80"));
        m.CountSkippedRecovery(new RecoveryMetricLabels("FixReplica", "ks", "0"), RecoverySkipReason.StaleAnalysis);
        m.SetDetectedProblems([new DetectedProblemLabels("DeadPrimary", "zone1-0000000100", "ks", "0")]);

        m.CountDiscoveryAttempt();
        m.CountDiscoveryAttempt();
        m.CountDiscoveryAttempt();
        m.CountDiscoveryFailure();
        m.CountInstancePollSecondsExceeded();
        m.CountInstanceReadTopology();
        m.CountInstanceReadTopology();
        m.ObserveInstanceTiming("Instance", TimeSpan.FromMilliseconds(20));
        m.ObserveInstanceTiming("Backend", TimeSpan.FromMilliseconds(0.1));
        m.ObserveInstanceTiming("Other", TimeSpan.FromMilliseconds(1));
        m.SetQueueLength(4);
        m.SetWorkers(300);
        m.SetWorkersActive(2);
        m.SetDiscoveriesRecentCount(5);
        m.SetTabletsWatchedByCell("zone1", 3);

        m.CountInstanceRead();
        m.CountAnalysisChangeWrite();
        m.CountAuditWrite();
        m.CountAuditWrite();
        m.SetErrantGtidCounts(new Dictionary<string, int> { ["zone1-0000000101"] = 2, ["zone1-0000000102"] = 0 });
        m.SetTabletsWatchedByShard(new Dictionary<(string, string), int> { [("ks", "0")] = 3 });
        m.SetEmergencyReparentShardDisabled([("ks", "-80")]);
        m.ObserveAnalysisPass(TimeSpan.FromMilliseconds(3));
        return m;
    }
}
