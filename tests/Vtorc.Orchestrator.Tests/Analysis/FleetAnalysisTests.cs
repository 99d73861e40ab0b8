using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Tests.Analysis;

public sealed class FleetAnalysisTests
{
    private static readonly DateTimeOffset Now = ShardScenario.Now;

    private static (ShardSnapshot Broken, ShardSnapshot Repaired, string Stopped) Shard()
    {
        var broken = new ShardScenario();
        broken.Primary(100);
        var stopped = broken.Replica(101);
        broken.StopReplication(stopped);
        var repaired = new ShardScenario();
        repaired.Primary(100);
        repaired.Replica(101);
        return (broken.Build(), repaired.Build(), stopped);
    }

    private static FleetAnalysis Next(FleetAnalysis? previous, ShardSnapshot shard, DateTimeOffset at) =>
        FleetAnalysis.Following(previous, [shard], DetectionAnalyzer.AnalyzeAll([shard], AnalysisSettings.Default, at), at);

    [Fact]
    public void A_problem_found_at_every_analysis_keeps_the_time_it_was_first_found()
    {
        var (broken, _, stopped) = Shard();

        var first = Next(null, broken, Now.AddMinutes(-5));
        var second = Next(first, broken, Now.AddMinutes(-1));
        var third = Next(second, broken, Now);

        Assert.Equal(Now.AddMinutes(-5), third.DetectedSince(stopped, AnalysisCodes.ReplicationStopped));
        Assert.Equal(Now, third.AnalysedAt);
    }

    [Fact]
    public void A_problem_that_went_away_in_between_counts_from_its_return()
    {
        var (broken, repaired, stopped) = Shard();

        var first = Next(null, broken, Now.AddMinutes(-5));
        var gone = Next(first, repaired, Now.AddMinutes(-1));
        var back = Next(gone, broken, Now);

        // Not found by the repaired analysis: it reports its own time, as for any problem it did not find.
        Assert.Equal(gone.AnalysedAt, gone.DetectedSince(stopped, AnalysisCodes.ReplicationStopped));
        Assert.Equal(Now, back.DetectedSince(stopped, AnalysisCodes.ReplicationStopped));
    }

    [Fact]
    public void A_problem_the_analysis_did_not_find_counts_from_the_analysis()
    {
        var (_, repaired, stopped) = Shard();

        var analysis = Next(null, repaired, Now.AddSeconds(-1));

        Assert.Equal(Now.AddSeconds(-1), analysis.DetectedSince(stopped, AnalysisCodes.ReplicationStopped));
    }

    [Fact]
    public void Results_that_do_not_match_the_snapshots_are_refused_with_both_counts()
    {
        var (broken, repaired, _) = Shard();

        var refused = Assert.Throws<ArgumentException>(() =>
            FleetAnalysis.Following(null, [broken, repaired], DetectionAnalyzer.AnalyzeAll([broken], AnalysisSettings.Default, Now), Now));

        Assert.Contains("1 analysis results for 2 snapshots", refused.Message);
    }

    [Theory]
    [InlineData(1, 3, true)]
    [InlineData(1, 5, true)]
    [InlineData(1, 6, false)]
    [InlineData(10, 30, true)]
    [InlineData(10, 31, false)]
    public void The_ticks_analysis_is_served_for_three_periods_and_at_least_five_seconds(int periodSeconds, int ageSeconds, bool served)
    {
        var (broken, _, _) = Shard();
        var latest = new LatestFleetAnalysis();
        Assert.Null(latest.RecentAt(Now, TimeSpan.FromSeconds(periodSeconds)));
        var published = latest.Publish([broken], DetectionAnalyzer.AnalyzeAll([broken], AnalysisSettings.Default, Now), Now);

        var recent = latest.RecentAt(Now.AddSeconds(ageSeconds), TimeSpan.FromSeconds(periodSeconds));

        Assert.Equal(served ? published : null, recent);
    }

    [Fact]
    public void Each_publication_follows_the_one_before()
    {
        var (broken, _, stopped) = Shard();
        var latest = new LatestFleetAnalysis();

        latest.Publish([broken], DetectionAnalyzer.AnalyzeAll([broken], AnalysisSettings.Default, Now.AddMinutes(-2)), Now.AddMinutes(-2));
        var current = latest.Publish([broken], DetectionAnalyzer.AnalyzeAll([broken], AnalysisSettings.Default, Now), Now);

        Assert.Same(current, latest.Current);
        Assert.Equal(Now.AddMinutes(-2), current.DetectedSince(stopped, AnalysisCodes.ReplicationStopped));
    }
}
