using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>The primary health window of go/vt/vtorc/inst/primary_health.go (Vitess v24): threshold, majority,
/// hysteresis and expiry.</summary>
public sealed class PrimaryHealthWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Length = PrimaryHealthWindow.LengthFor(TimeSpan.FromSeconds(15));

    /// <summary>Records the outcomes one every 5 s from <see cref="T0"/>.</summary>
    private static PrimaryHealthWindow Polls(params bool[] outcomes)
    {
        var window = PrimaryHealthWindow.Empty;
        for (int i = 0; i < outcomes.Length; i++)
        {
            window = window.Record(T0.AddSeconds(5 * i), outcomes[i], Length);
        }
        return window;
    }

    [Fact]
    public void The_window_is_five_remote_operation_timeouts()
    {
        Assert.Equal(TimeSpan.FromSeconds(75), Length);
        Assert.Equal(TimeSpan.FromSeconds(75), AnalysisSettings.Default.PrimaryHealthWindow);
    }

    [Fact]
    public void Two_failures_are_not_enough()
    {
        Assert.False(Polls(false, false).Unhealthy);
    }

    [Fact]
    public void Three_failures_that_outnumber_the_successes_make_it_unhealthy()
    {
        Assert.True(Polls(true, false, false, false).Unhealthy);
    }

    [Fact]
    public void Failures_must_outnumber_the_successes()
    {
        Assert.False(Polls(true, true, true, false, false, false).Unhealthy);
    }

    [Fact]
    public void Once_unhealthy_it_stays_so_while_any_failure_is_in_the_window()
    {
        var window = Polls(false, false, false, true, true, true, true, true);
        Assert.True(window.Unhealthy);
        Assert.True(window.IsUnhealthyAt(T0.AddSeconds(60), Length));
    }

    [Fact]
    public void It_heals_when_the_failures_aged_out_and_a_success_remains()
    {
        var window = Polls(false, false, false);
        Assert.True(window.Unhealthy);
        // The failures were at 0, 5 and 10 s; a success at 80 s leaves them all older than 75 s.
        var healed = window.Record(T0.AddSeconds(86), true, Length);
        Assert.False(healed.Unhealthy);
        Assert.Single(healed.Events);
    }

    [Fact]
    public void An_empty_window_is_healthy()
    {
        var window = Polls(false, false, false);
        Assert.True(window.IsUnhealthyAt(T0.AddSeconds(75), Length));
        Assert.False(window.IsUnhealthyAt(T0.AddSeconds(90), Length));
        Assert.True(window.At(T0.AddSeconds(90), Length).IsEmpty);
    }
}
