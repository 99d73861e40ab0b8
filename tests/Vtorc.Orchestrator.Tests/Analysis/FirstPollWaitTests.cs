using Vtorc.Orchestrator.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>
/// Ours, not VTOrc's (docs/vitess-compatibility.md, "Shards wait for their tablets' first poll"): a shard with a tablet
/// whose first poll has not ended is not analysed, for at most <see cref="AnalysisSettings.FirstPollWait"/> after the
/// tablet's discovery. VTOrc's rules read such a tablet as never reached, so at a daemon's start every shard whose polls
/// were still queued was a DeadPrimary.
/// </summary>
public sealed class FirstPollWaitTests
{
    private static readonly DateTimeOffset Now = ShardScenario.Now;

    [Fact]
    public void A_shard_whose_tablets_await_their_first_poll_is_not_analysed_rather_than_found_dead()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        // What VTOrc's rules make of the same shard with nothing polled yet: a DeadPrimary, an emergency reparent.
        s.NeverPolled(p).NeverPolled(r1).NeverPolled(r2);
        Assert.Equal(C.DeadPrimary, s.AnalysisOf(p)!.Analysis);

        s.AwaitingFirstPoll(p, Now.AddSeconds(-3)).AwaitingFirstPoll(r1, Now.AddSeconds(-3)).AwaitingFirstPoll(r2, Now.AddSeconds(-1));
        var result = s.Analyze();

        Assert.Equal(ShardSkipReason.AwaitingFirstPoll, result.SkipReason);
        Assert.Empty(result.Analyses);
        Assert.Equal(
            $"waiting for the first poll of {p}, {r1}, {r2} to end (until 06:00:19Z at the latest; a tablet not polled by then counts as never reached)",
            result.SkipMessage);
    }

    [Fact]
    public void The_wait_message_stays_the_same_from_tick_to_tick_so_it_is_logged_once()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.Replica(101);
        s.AwaitingFirstPoll(p, Now.AddSeconds(-2));
        var snapshot = s.Build();

        var first = DetectionAnalyzer.Analyze(snapshot, s.Settings, Now);
        var later = DetectionAnalyzer.Analyze(snapshot, s.Settings, Now.AddSeconds(7));

        Assert.Equal(first.SkipMessage, later.SkipMessage);
    }

    [Fact]
    public void Once_the_wait_is_over_a_tablet_still_not_polled_counts_as_never_reached()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.StopReplication(r1);
        s.AwaitingFirstPoll(p, Now - AnalysisSettings.Default.FirstPollWait);

        var result = s.Analyze();

        Assert.False(result.IsSkipped);
        Assert.Equal(C.DeadPrimary, Assert.Single(result.Analyses).Analysis);
    }

    [Fact]
    public void Only_tablets_still_within_their_wait_hold_the_shard_and_the_message_names_only_them()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var old = s.Replica(101);
        var added = s.Replica(102);
        s.AwaitingFirstPoll(old, Now.AddMinutes(-5)).AwaitingFirstPoll(added, Now.AddSeconds(-1));

        var result = s.Analyze();

        Assert.Equal(ShardSkipReason.AwaitingFirstPoll, result.SkipReason);
        Assert.Contains(added, result.SkipMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(old, result.SkipMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(p, result.SkipMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_wait_is_a_setting()
    {
        var s = new ShardScenario { Settings = AnalysisSettings.Default with { FirstPollWait = TimeSpan.FromSeconds(2) } };
        var p = s.Primary();
        s.Replica(101);
        s.AwaitingFirstPoll(p, Now.AddSeconds(-3));

        Assert.Equal(C.InvalidPrimary, s.AnalysisOf(p)!.Analysis);
    }
}
