using System.Text.RegularExpressions;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Metrics;

public sealed partial class PrometheusTextFormatterTests
{
    [Theory]
    [InlineData("vtorc_pending_recoveries 1")]
    [InlineData("vtorc_shard_locks_active 1")]
    [InlineData("vtorc_recoveries_count{recovery_type=\"RecoverDeadPrimary\",keyspace=\"ks\",shard=\"0\"} 2")]
    [InlineData("vtorc_successful_recoveries{recovery_type=\"RecoverDeadPrimary\",keyspace=\"ks\",shard=\"0\"} 1")]
    [InlineData("vtorc_failed_recoveries{recovery_type=\"FixReplica\",keyspace=\"ks\",shard=\"-80\"} 1")]
    [InlineData("vtorc_skipped_recoveries{recovery_type=\"FixReplica\",keyspace=\"ks\",shard=\"0\",reason=\"StaleAnalysis\"} 1")]
    [InlineData("vtorc_detected_problems{analysis=\"DeadPrimary\",tablet_alias=\"zone1-0000000100\",keyspace=\"ks\",shard=\"0\"} 1")]
    [InlineData("vtorc_discoveries_attempt 3")]
    [InlineData("vtorc_discoveries_fail 1")]
    [InlineData("vtorc_discoveries_instance_poll_seconds_exceeded 1")]
    [InlineData("vtorc_discoveries_queue_length 4")]
    [InlineData("vtorc_discoveries_recent_count 5")]
    [InlineData("vtorc_discovery_workers 300")]
    [InlineData("vtorc_discovery_workers_active 2")]
    [InlineData("vtorc_instance_read 1")]
    [InlineData("vtorc_instance_read_topology 2")]
    [InlineData("vtorc_analysis_change_write 1")]
    [InlineData("vtorc_audit_write 2")]
    [InlineData("vtorc_current_errant_gtid_count{TabletAlias=\"zone1-0000000101\"} 2")]
    [InlineData("vtorc_current_errant_gtid_count{TabletAlias=\"zone1-0000000102\"} 0")]
    [InlineData("vtorc_errant_gtid_tablet_count 1")]
    [InlineData("vtorc_tablets_watched_by_cell{Cell=\"zone1\"} 3")]
    [InlineData("vtorc_tablets_watched_by_shard{keyspace=\"ks\",shard=\"0\"} 3")]
    [InlineData("vtorc_emergency_reparent_shard_disabled{keyspace=\"ks\",shard=\"-80\"} 1")]
    [InlineData("vtorc_shard_lock_timings_bucket{Action=\"Lock\",le=\"0.001\"} 0")]
    [InlineData("vtorc_shard_lock_timings_bucket{Action=\"Lock\",le=\"0.005\"} 1")]
    [InlineData("vtorc_shard_lock_timings_bucket{Action=\"Lock\",le=\"+Inf\"} 1")]
    [InlineData("vtorc_shard_lock_timings_sum{Action=\"Lock\"} 0.002")]
    [InlineData("vtorc_shard_lock_timings_count{Action=\"Lock\"} 1")]
    [InlineData("vtorc_shard_lock_timings_count{Action=\"Unlock\"} 0")]
    [InlineData("vtorc_discovery_instance_timings_bucket{Action=\"Instance\",le=\"0.05\"} 1")]
    [InlineData("vtorc_discovery_instance_timings_sum{Action=\"Instance\"} 0.02")]
    [InlineData("vtorc_discovery_instance_timings_bucket{Action=\"Backend\",le=\"0.0005\"} 1")]
    [InlineData("vtorc_discovery_instance_timings_sum{Action=\"Backend\"} 0.0001")]
    [InlineData("vtorc_discovery_instance_timings_count{Action=\"Other\"} 1")]
    [InlineData("vtorc_analysis_pass_timings_bucket{Action=\"Pass\",le=\"0.005\"} 1")]
    [InlineData("vtorc_analysis_pass_timings_sum{Action=\"Pass\"} 0.003")]
    [InlineData("vtorc_analysis_pass_last_microseconds 3000")]
    public void EveryStatIsRenderedWithItsNameLabelsAndValue(string expectedLine)
    {
        using var metrics = EveryStatScenario.Create();

        var lines = PrometheusTextFormatter.Format(metrics).Split('\n');

        Assert.Contains(expectedLine, lines);
    }

    [Theory]
    [InlineData("vtorc_pending_recoveries", "gauge")]
    [InlineData("vtorc_recoveries_count", "counter")]
    [InlineData("vtorc_detected_problems", "gauge")]
    [InlineData("vtorc_discoveries_attempt", "counter")]
    [InlineData("vtorc_shard_lock_timings", "histogram")]
    [InlineData("vtorc_discovery_instance_timings", "histogram")]
    public void EveryFamilyHasHelpAndTypeLines(string name, string type)
    {
        using var metrics = new VtorcMetrics();

        var lines = PrometheusTextFormatter.Format(metrics).Split('\n');

        Assert.Contains(lines, l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal) && l.Length > $"# HELP {name} ".Length);
        Assert.Contains($"# TYPE {name} {type}", lines);
    }

    [Fact]
    public void TheOutputIsWellFormedTextFormat()
    {
        using var metrics = EveryStatScenario.Create();
        metrics.SetDetectedProblems([new DetectedProblemLabels("Odd \"one\"", "a\\b", "line\nbreak", "0")]);

        var text = PrometheusTextFormatter.Format(metrics);

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        string? family = null;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            var comment = CommentLine().Match(line);
            if (comment.Success)
            {
                family = comment.Groups["name"].Value;
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a valid sample line: \"{line}\"");
            Assert.NotNull(family);
            Assert.StartsWith(family, sample.Groups["name"].Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LabelValuesEscapeBackslashQuoteAndNewline()
    {
        using var metrics = new VtorcMetrics();
        metrics.SetDetectedProblems([new DetectedProblemLabels("Odd \"one\"", "a\\b", "line\nbreak", "0")]);

        var lines = PrometheusTextFormatter.Format(metrics).Split('\n');

        Assert.Contains("vtorc_detected_problems{analysis=\"Odd \\\"one\\\"\",tablet_alias=\"a\\\\b\",keyspace=\"line\\nbreak\",shard=\"0\"} 1", lines);
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

        var problems = PrometheusTextFormatter.Format(metrics).Split('\n')
            .Where(l => l.StartsWith("vtorc_detected_problems", StringComparison.Ordinal)).ToArray();

        Assert.Equal(["vtorc_detected_problems{analysis=\"ReplicationStopped\",tablet_alias=\"zone1-0000000101\",keyspace=\"ks\",shard=\"0\"} 1"], problems);
    }

    [Fact]
    public void HistogramBucketsAreCumulativeAndEndWithTheCount()
    {
        using var metrics = new VtorcMetrics();
        foreach (var ms in new[] { 0.2, 0.7, 3, 20_000 })
        {
            metrics.ObserveShardLockTiming("Unlock", TimeSpan.FromMilliseconds(ms));
        }

        var buckets = PrometheusTextFormatter.Format(metrics).Split('\n')
            .Where(l => l.StartsWith("vtorc_shard_lock_timings_bucket{Action=\"Unlock\"", StringComparison.Ordinal)).ToArray();

        Assert.Equal(
        [
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"0.0005\"} 1",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"0.001\"} 2",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"0.005\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"0.01\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"0.05\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"0.1\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"0.5\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"1\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"5\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"10\"} 3",
            "vtorc_shard_lock_timings_bucket{Action=\"Unlock\",le=\"+Inf\"} 4",
        ], buckets);
        Assert.Contains("vtorc_shard_lock_timings_sum{Action=\"Unlock\"} 20.0039", PrometheusTextFormatter.Format(metrics).Split('\n'));
    }

    [Fact]
    public void TheContentTypeIsTextFormat004() =>
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusTextFormatter.ContentType);

    [GeneratedRegex(@"^# (HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) \S")]
    private static partial Regex CommentLine();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^\\"\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^\\"\n])*")*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$""")]
    private static partial Regex SampleLine();
}
