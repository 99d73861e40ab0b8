using Vtorc.Orchestrator.Discovery;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>When lost health streams stop being looked at one by one (docs/reliability.md, "Push detection").</summary>
public sealed class StreamLossBurstTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    [Fact]
    public void The_threshold_is_the_minimum_or_the_fraction_of_the_streams_whichever_is_larger()
    {
        var burst = new StreamLossBurst(Window, minimum: 8, fraction: 0.01);
        Assert.Equal(8, burst.Threshold(3));
        Assert.Equal(8, burst.Threshold(800));
        Assert.Equal(30, burst.Threshold(3000));
        Assert.Equal(100, burst.Threshold(10_000));
    }

    [Fact]
    public void Losses_below_the_threshold_are_each_looked_at()
    {
        var burst = new StreamLossBurst(Window, minimum: 3, fraction: 0);
        Assert.True(burst.Admit(T0, 100));
        Assert.True(burst.Admit(T0 + TimeSpan.FromSeconds(1), 100));
        // The first loss is out of the window by now: still two in it.
        Assert.True(burst.Admit(T0 + TimeSpan.FromSeconds(2.5), 100));
        Assert.False(burst.InBurst);
    }

    [Fact]
    public void Losses_at_the_threshold_within_the_window_are_left_to_the_polls_until_it_calms_down()
    {
        var burst = new StreamLossBurst(Window, minimum: 3, fraction: 0);
        Assert.True(burst.Admit(T0, 100));
        Assert.True(burst.Admit(T0 + TimeSpan.FromMilliseconds(100), 100));
        Assert.False(burst.Admit(T0 + TimeSpan.FromMilliseconds(200), 100));
        Assert.False(burst.Admit(T0 + TimeSpan.FromMilliseconds(300), 100));
        Assert.True(burst.InBurst);
        Assert.Equal(2, burst.Suppressed);

        Assert.False(burst.Calmed(T0 + TimeSpan.FromSeconds(1), 100));
        Assert.True(burst.Calmed(T0 + TimeSpan.FromSeconds(4), 100));
        Assert.False(burst.InBurst);
        Assert.True(burst.Admit(T0 + TimeSpan.FromSeconds(4), 100), "a loss after the calm is looked at again");
    }
}
