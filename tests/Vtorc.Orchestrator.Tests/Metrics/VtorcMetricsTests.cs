using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Metrics;

public sealed class VtorcMetricsTests
{
    [Fact]
    public void AFreshInstanceHasEveryStatWithPlainValuesAtZeroAndTimingsCategoriesEmpty()
    {
        using var metrics = new VtorcMetrics();

        var snapshot = metrics.Snapshot();

        Assert.Equal(VtorcStats.All.Select(s => s.Name), snapshot.Select(s => s.Definition.Name));
        foreach (var stat in snapshot.Where(s => s.Definition.Kind != StatKind.Timings && s.Definition.Labels.Count == 0))
        {
            Assert.Equal(0, Assert.Single(stat.Samples).Value);
        }
        Assert.Empty(metrics.Snapshot(VtorcStats.RecoveriesCount).Samples);
        var lockTimings = metrics.Snapshot(VtorcStats.ShardLockTimings).Timings!;
        Assert.Equal(["Lock", "Unlock"], lockTimings.Categories.Select(c => c.Category));
        Assert.All(lockTimings.Categories, c => Assert.Equal(0, c.Count));
        Assert.Equal(["Backend", "Instance", "Other"],
            metrics.Snapshot(VtorcStats.DiscoveryInstanceTimings).Timings!.Categories.Select(c => c.Category));
    }

    [Fact]
    public void EveryStatHoldsWhatWasReported()
    {
        using var m = EveryStatScenario.Create();

        Assert.Equal(1, m.Snapshot(VtorcStats.PendingRecoveries).ValueOf());
        Assert.Equal(1, m.Snapshot(VtorcStats.ShardLocksActive).ValueOf());
        Assert.Equal(2, m.Snapshot(VtorcStats.RecoveriesCount).ValueOf("RecoverDeadPrimary", "ks", "0"));
        Assert.Equal(1, m.Snapshot(VtorcStats.SuccessfulRecoveries).ValueOf("RecoverDeadPrimary", "ks", "0"));
        Assert.Equal(1, m.Snapshot(VtorcStats.FailedRecoveries).ValueOf("FixReplica", "ks", "-80"));
        Assert.Equal(1, m.Snapshot(VtorcStats.SkippedRecoveries).ValueOf("FixReplica", "ks", "0", "StaleAnalysis"));
        Assert.Equal(1, m.Snapshot(VtorcStats.DetectedProblems).ValueOf("DeadPrimary", "zone1-0000000100", "ks", "0"));
        Assert.Equal(3, m.Snapshot(VtorcStats.DiscoveriesAttempt).ValueOf());
        Assert.Equal(1, m.Snapshot(VtorcStats.DiscoveriesFail).ValueOf());
        Assert.Equal(1, m.Snapshot(VtorcStats.DiscoveriesInstancePollSecondsExceeded).ValueOf());
        Assert.Equal(4, m.Snapshot(VtorcStats.DiscoveriesQueueLength).ValueOf());
        Assert.Equal(5, m.Snapshot(VtorcStats.DiscoveriesRecentCount).ValueOf());
        Assert.Equal(300, m.Snapshot(VtorcStats.DiscoveryWorkers).ValueOf());
        Assert.Equal(2, m.Snapshot(VtorcStats.DiscoveryWorkersActive).ValueOf());
        Assert.Equal(1, m.Snapshot(VtorcStats.InstanceRead).ValueOf());
        Assert.Equal(2, m.Snapshot(VtorcStats.InstanceReadTopology).ValueOf());
        Assert.Equal(1, m.Snapshot(VtorcStats.AnalysisChangeWrite).ValueOf());
        Assert.Equal(2, m.Snapshot(VtorcStats.AuditWrite).ValueOf());
        Assert.Equal(2, m.Snapshot(VtorcStats.CurrentErrantGtidCount).ValueOf("zone1-0000000101"));
        Assert.Equal(0, m.Snapshot(VtorcStats.CurrentErrantGtidCount).ValueOf("zone1-0000000102"));
        Assert.Equal(1, m.Snapshot(VtorcStats.ErrantGtidTabletCount).ValueOf());
        Assert.Equal(3, m.Snapshot(VtorcStats.TabletsWatchedByCell).ValueOf("zone1"));
        Assert.Equal(3, m.Snapshot(VtorcStats.TabletsWatchedByShard).ValueOf("ks", "0"));
        Assert.Equal(1, m.Snapshot(VtorcStats.EmergencyReparentShardDisabled).ValueOf("ks", "-80"));
        var instance = Assert.Single(m.Snapshot(VtorcStats.DiscoveryInstanceTimings).Timings!.Categories, c => c.Category == "Instance");
        Assert.Equal((1L, 20_000_000L), (instance.Count, instance.TotalNanoseconds));
    }

    [Fact]
    public void DetectedProblemsKeepsOnlyTheLabelSetsOfTheLatestCall()
    {
        using var m = new VtorcMetrics();
        var deadPrimary = new DetectedProblemLabels("DeadPrimary", "zone1-0000000100", "ks", "0");
        var stopped = new DetectedProblemLabels("ReplicationStopped", "zone1-0000000101", "ks", "0");

        m.SetDetectedProblems([deadPrimary, stopped]);
        m.SetDetectedProblems([stopped]);

        var sample = Assert.Single(m.Snapshot(VtorcStats.DetectedProblems).Samples);
        Assert.Equal(["ReplicationStopped", "zone1-0000000101", "ks", "0"], sample.LabelValues);
        m.SetDetectedProblems([]);
        Assert.Empty(m.Snapshot(VtorcStats.DetectedProblems).Samples);
    }

    [Fact]
    public void ReplacingSettersDropShardsAndTabletsNoLongerGiven()
    {
        using var m = EveryStatScenario.Create();

        m.SetErrantGtidCounts(new Dictionary<string, int> { ["zone1-0000000103"] = 1, ["zone1-0000000104"] = 4 });
        m.SetTabletsWatchedByShard(new Dictionary<(string, string), int> { [("ks", "-80")] = 2 });
        m.SetEmergencyReparentShardDisabled([]);

        Assert.Equal(["zone1-0000000103", "zone1-0000000104"],
            m.Snapshot(VtorcStats.CurrentErrantGtidCount).Samples.Select(s => s.LabelValues[0]));
        Assert.Equal(2, m.Snapshot(VtorcStats.ErrantGtidTabletCount).ValueOf());
        Assert.Equal(["ks", "-80"], Assert.Single(m.Snapshot(VtorcStats.TabletsWatchedByShard).Samples).LabelValues);
        Assert.Empty(m.Snapshot(VtorcStats.EmergencyReparentShardDisabled).Samples);
    }

    [Fact]
    public void ADotInAMultiLabelValueIsStoredAsAnUnderscoreLikeVitess()
    {
        using var m = new VtorcMetrics();

        m.CountRecovery(new RecoveryMetricLabels("FixReplica", "my.ks", "0"));

        Assert.Equal(["FixReplica", "my_ks", "0"], Assert.Single(m.Snapshot(VtorcStats.RecoveriesCount).Samples).LabelValues);
    }

    [Fact]
    public void ATimingLandsInTheFirstBucketItDoesNotExceed()
    {
        using var m = new VtorcMetrics();

        m.ObserveShardLockTiming("Unlock", TimeSpan.FromMilliseconds(0.5));
        m.ObserveShardLockTiming("Unlock", TimeSpan.FromMilliseconds(0.6));
        m.ObserveShardLockTiming("Unlock", TimeSpan.FromSeconds(11));

        var unlock = Assert.Single(m.Snapshot(VtorcStats.ShardLockTimings).Timings!.Categories, c => c.Category == "Unlock");
        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1], unlock.BucketCounts);
        Assert.Equal(3, unlock.Count);
        Assert.Equal(11_001_100_000, unlock.TotalNanoseconds);
    }

    [Fact]
    public void ANullLabelValueIsRejectedNamingTheStatAndTheLabel()
    {
        using var m = new VtorcMetrics();

        var e = Assert.Throws<ArgumentNullException>(() =>
            m.SetTabletsWatchedByShard(new Dictionary<(string, string), int> { [("ks", null!)] = 1 }));

        Assert.Contains("\"TabletsWatchedByShard\"", e.Message);
        Assert.Contains("\"Shard\"", e.Message);
    }

    [Fact]
    public async Task ConcurrentUpdatesAreAllCounted()
    {
        using var m = new VtorcMetrics();
        var labels = new RecoveryMetricLabels("FixReplica", "ks", "0");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                m.CountRecovery(labels);
                m.CountDiscoveryAttempt();
                m.ObserveInstanceTiming("Other", TimeSpan.FromMilliseconds(1));
            }
        })));

        Assert.Equal(8000, m.Snapshot(VtorcStats.RecoveriesCount).ValueOf("FixReplica", "ks", "0"));
        Assert.Equal(8000, m.Snapshot(VtorcStats.DiscoveriesAttempt).ValueOf());
        Assert.Equal(8000, m.Snapshot(VtorcStats.DiscoveryInstanceTimings).Timings!.TotalCount);
    }
}
