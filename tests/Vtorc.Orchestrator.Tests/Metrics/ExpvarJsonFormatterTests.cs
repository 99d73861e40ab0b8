using System.Text.Json;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Http;

namespace Vtorc.Orchestrator.Tests.Metrics;

public sealed class ExpvarJsonFormatterTests
{
    [Fact]
    public void TheCommandLineIsEscapedLikeGo()
    {
        using var metrics = new VtorcMetrics();

        var text = ExpvarJsonFormatter.Format(metrics, ["vtorc", HostileText.Raw]);

        Assert.Contains("\"cmdline\": [\"vtorc\",\"" + HostileText.AsGo + "\"]", text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(["vtorc", HostileText.Raw], json.RootElement.GetProperty("cmdline").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void EveryStatIsAMemberNamedLikeTheVitessStat()
    {
        using var metrics = new VtorcMetrics();

        using var json = JsonDocument.Parse(ExpvarJsonFormatter.Format(metrics));

        Assert.Equal(VtorcStats.All.Select(s => s.Name), json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void PlainStatsAreNumbersAndLabelledStatsAreMapsKeyedByJoinedLabelValues()
    {
        using var metrics = EveryStatScenario.Create();

        using var json = JsonDocument.Parse(ExpvarJsonFormatter.Format(metrics));
        var root = json.RootElement;

        Assert.Equal(1, root.GetProperty("PendingRecoveries").GetInt64());
        Assert.Equal(1, root.GetProperty("ShardLocksActive").GetInt64());
        Assert.Equal(3, root.GetProperty("DiscoveriesAttempt").GetInt64());
        Assert.Equal(1, root.GetProperty("DiscoveriesFail").GetInt64());
        Assert.Equal(1, root.GetProperty("DiscoveriesInstancePollSecondsExceeded").GetInt64());
        Assert.Equal(4, root.GetProperty("DiscoveriesQueueLength").GetInt64());
        Assert.Equal(5, root.GetProperty("DiscoveriesRecentCount").GetInt64());
        Assert.Equal(300, root.GetProperty("DiscoveryWorkers").GetInt64());
        Assert.Equal(2, root.GetProperty("DiscoveryWorkersActive").GetInt64());
        Assert.Equal(1, root.GetProperty("InstanceRead").GetInt64());
        Assert.Equal(2, root.GetProperty("InstanceReadTopology").GetInt64());
        Assert.Equal(1, root.GetProperty("AnalysisChangeWrite").GetInt64());
        Assert.Equal(2, root.GetProperty("AuditWrite").GetInt64());
        Assert.Equal(1, root.GetProperty("ErrantGtidTabletCount").GetInt64());
        Assert.Equal(2, root.GetProperty("RecoveriesCount").GetProperty("RecoverDeadPrimary.ks.0").GetInt64());
        Assert.Equal(1, root.GetProperty("SuccessfulRecoveries").GetProperty("RecoverDeadPrimary.ks.0").GetInt64());
        Assert.Equal(1, root.GetProperty("FailedRecoveries").GetProperty("FixReplica.ks.-80").GetInt64());
        Assert.Equal(1, root.GetProperty("SkippedRecoveries").GetProperty("FixReplica.ks.0.StaleAnalysis").GetInt64());
        Assert.Equal(1, root.GetProperty("DetectedProblems").GetProperty("DeadPrimary.zone1-0000000100.ks.0").GetInt64());
        Assert.Equal(2, root.GetProperty("CurrentErrantGTIDCount").GetProperty("zone1-0000000101").GetInt64());
        Assert.Equal(3, root.GetProperty("TabletsWatchedByCell").GetProperty("zone1").GetInt64());
        Assert.Equal(3, root.GetProperty("TabletsWatchedByShard").GetProperty("ks.0").GetInt64());
        Assert.Equal(1, root.GetProperty("EmergencyReparentShardDisabled").GetProperty("ks.-80").GetInt64());
    }

    [Fact]
    public void TimingsHaveTotalsAndPerCategoryBucketsInNanoseconds()
    {
        using var metrics = EveryStatScenario.Create();

        using var json = JsonDocument.Parse(ExpvarJsonFormatter.Format(metrics));
        var timings = json.RootElement.GetProperty("ShardLockTimings");

        Assert.Equal(1, timings.GetProperty("TotalCount").GetInt64());
        Assert.Equal(2_000_000, timings.GetProperty("TotalTime").GetInt64());
        var lockHistogram = timings.GetProperty("Histograms").GetProperty("Lock");
        Assert.Equal(
            ["500000", "1000000", "5000000", "10000000", "50000000", "100000000", "500000000", "1000000000", "5000000000", "10000000000", "inf", "Count", "Time"],
            lockHistogram.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, lockHistogram.GetProperty("1000000").GetInt64());
        Assert.Equal(1, lockHistogram.GetProperty("5000000").GetInt64());
        Assert.Equal(0, lockHistogram.GetProperty("10000000").GetInt64());
        Assert.Equal(1, lockHistogram.GetProperty("Count").GetInt64());
        Assert.Equal(2_000_000, lockHistogram.GetProperty("Time").GetInt64());
        Assert.Equal(0, timings.GetProperty("Histograms").GetProperty("Unlock").GetProperty("Count").GetInt64());
        var discovery = json.RootElement.GetProperty("DiscoveryInstanceTimings");
        Assert.Equal(3, discovery.GetProperty("TotalCount").GetInt64());
        Assert.Equal(21_100_000, discovery.GetProperty("TotalTime").GetInt64());
    }

    [Fact]
    public void RemovedDetectedProblemsDisappear()
    {
        using var metrics = new VtorcMetrics();
        metrics.SetDetectedProblems([
            new DetectedProblemLabels("DeadPrimary", "zone1-0000000100", "ks", "0"),
            new DetectedProblemLabels("ReplicationStopped", "zone1-0000000101", "ks", "0"),
        ]);
        metrics.SetDetectedProblems([new DetectedProblemLabels("ReplicationStopped", "zone1-0000000101", "ks", "0")]);

        using var json = JsonDocument.Parse(ExpvarJsonFormatter.Format(metrics));

        Assert.Equal(["ReplicationStopped.zone1-0000000101.ks.0"],
            json.RootElement.GetProperty("DetectedProblems").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void OddLabelValuesSurviveAsJsonStrings()
    {
        using var metrics = new VtorcMetrics();
        metrics.SetTabletsWatchedByCell("c\"e\\l<l>\n", 1);

        using var json = JsonDocument.Parse(ExpvarJsonFormatter.Format(metrics));

        Assert.Equal(1, json.RootElement.GetProperty("TabletsWatchedByCell").GetProperty("c\"e\\l<l>\n").GetInt64());
    }

    [Fact]
    public void TheLayoutIsOneMemberPerLineLikeGoExpvar()
    {
        using var metrics = new VtorcMetrics();

        var text = ExpvarJsonFormatter.Format(metrics, ["vtorc", "--port", "15000"]);

        Assert.StartsWith("{\n\"AnalysisChangeWrite\": 0,\n\"AnalysisPassLastMicroseconds\": 0,\n\"AnalysisPassTimings\": {", text, StringComparison.Ordinal);
        Assert.EndsWith("\n}\n", text, StringComparison.Ordinal);
        Assert.Contains("\n\"cmdline\": [\"vtorc\",\"--port\",\"15000\"]\n", text, StringComparison.Ordinal);
        Assert.Equal(VtorcStats.All.Count + 1, text.Split('\n').Count(l => l.StartsWith('"')));
    }
}
