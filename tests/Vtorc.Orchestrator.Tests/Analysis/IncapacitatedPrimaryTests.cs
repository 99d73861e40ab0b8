using Vtorc.Orchestrator.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>IncapacitatedPrimary (go/vt/vtorc/inst/analysis_problem.go, Vitess v24) on snapshots.</summary>
public sealed class IncapacitatedPrimaryTests
{
    private static readonly TimeSpan Length = AnalysisSettings.Default.PrimaryHealthWindow;

    /// <summary>Three failed polls in the last 30 s after one success: an unhealthy window at <see cref="ShardScenario.Now"/>.</summary>
    private static PrimaryHealthWindow UnhealthyWindow()
    {
        var now = ShardScenario.Now;
        return PrimaryHealthWindow.Empty
            .Record(now.AddSeconds(-40), true, Length)
            .Record(now.AddSeconds(-30), false, Length)
            .Record(now.AddSeconds(-20), false, Length)
            .Record(now.AddSeconds(-10), false, Length);
    }

    private static (ShardScenario S, string Primary) Shard()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.Replica(101);
        s.Replica(102);
        return (s, p);
    }

    [Fact]
    public void An_unreachable_primary_with_an_unhealthy_window_is_incapacitated_and_not_merely_unreachable()
    {
        var (s, p) = Shard();
        s.Unreachable(p).Observe(p, o => o with { PrimaryHealth = UnhealthyWindow() });
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.IncapacitatedPrimary, analysis.Analysis);
        Assert.True(analysis.HasShardWideAction);
        Assert.Equal([C.IncapacitatedPrimary, C.UnreachablePrimary], s.MatchedCodes(p));
        Assert.Equal(RecoveryFunction.RecoverIncapacitatedPrimary, RecoveryMapping.For(analysis.Analysis).Function);
    }

    [Fact]
    public void Without_the_window_the_same_primary_is_UnreachablePrimary()
    {
        var (s, p) = Shard();
        s.Unreachable(p);
        Assert.Equal(C.UnreachablePrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void A_primary_whose_last_poll_succeeded_is_not_incapacitated()
    {
        var (s, p) = Shard();
        s.Observe(p, o => o with { PrimaryHealth = UnhealthyWindow() });
        Assert.DoesNotContain(C.IncapacitatedPrimary, s.MatchedCodes(p));
    }

    [Fact]
    public void A_dead_primary_reports_DeadPrimary_first()
    {
        var (s, p) = Shard();
        s.Unreachable(p).Observe(p, o => o with { PrimaryHealth = UnhealthyWindow() })
            .StopReplication(ShardScenario.AliasOf(101)).StopReplication(ShardScenario.AliasOf(102));
        Assert.Equal(C.DeadPrimary, s.AnalysisOf(p)!.Analysis);
        Assert.Equal([C.DeadPrimary, C.IncapacitatedPrimary], s.MatchedCodes(p));
    }

    [Fact]
    public void The_window_is_read_at_the_analysis_time()
    {
        var (s, p) = Shard();
        s.Unreachable(p).Observe(p, o => o with { PrimaryHealth = UnhealthyWindow() });
        var snapshot = s.Build();
        Assert.Equal(C.IncapacitatedPrimary, Code(snapshot, p, ShardScenario.Now.AddSeconds(40)));
        // 90 s later every event is older than the 75 s window.
        Assert.Equal(C.UnreachablePrimary, Code(snapshot, p, ShardScenario.Now.AddSeconds(90)));
        // A shorter window (a shorter --remote-operation-timeout) forgets sooner: 5 s holds none of the events.
        var shortWindow = AnalysisSettings.Default with { PrimaryHealthWindow = TimeSpan.FromSeconds(5) };
        Assert.Equal(C.UnreachablePrimary,
            DetectionAnalyzer.Analyze(snapshot, shortWindow, ShardScenario.Now).Analyses.Single(a => a.AnalyzedInstanceAlias == p).Analysis);
    }

    [Fact]
    public void Once_unhealthy_the_window_stays_so_while_a_failure_remains_even_below_the_threshold()
    {
        var (s, p) = Shard();
        s.Unreachable(p).Observe(p, o => o with { PrimaryHealth = UnhealthyWindow() });
        // 25 s: only the failures at -20 s and -10 s remain, fewer than 3, but the window does not heal on failures.
        var settings = AnalysisSettings.Default with { PrimaryHealthWindow = TimeSpan.FromSeconds(25) };
        Assert.Equal(C.IncapacitatedPrimary,
            DetectionAnalyzer.Analyze(s.Build(), settings, ShardScenario.Now).Analyses.Single(a => a.AnalyzedInstanceAlias == p).Analysis);
    }

    [Fact]
    public void Recording_drops_events_older_than_the_window_and_sorts_in_one_that_arrives_late()
    {
        var t0 = ShardScenario.Now;
        var window = PrimaryHealthWindow.Empty
            .Record(t0, true, Length)
            .Record(t0.AddSeconds(10), false, Length)
            .Record(t0.AddSeconds(5), false, Length);
        Assert.Equal([t0, t0.AddSeconds(5), t0.AddSeconds(10)], window.Events.Select(e => e.At));

        var later = window.Record(t0 + Length + TimeSpan.FromSeconds(6), false, Length);
        Assert.Equal([t0.AddSeconds(10), t0 + Length + TimeSpan.FromSeconds(6)], later.Events.Select(e => e.At));
        Assert.Equal(3, window.Events.Count);
    }

    private static string Code(ShardSnapshot snapshot, string alias, DateTimeOffset now) =>
        DetectionAnalyzer.Analyze(snapshot, AnalysisSettings.Default, now).Analyses.Single(a => a.AnalyzedInstanceAlias == alias).Analysis;
}
