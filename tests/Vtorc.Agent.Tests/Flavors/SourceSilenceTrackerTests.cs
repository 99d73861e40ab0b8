using Vtorc.Agent.Flavors;

namespace Vtorc.Agent.Tests.Flavors;

public sealed class SourceSilenceTrackerTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(1000);

    [Fact]
    public void No_marker_means_no_information()
    {
        var tracker = new SourceSilenceTracker();
        Assert.Null(tracker.Observe(null, T0));
    }

    [Fact]
    public void Silence_counts_from_the_first_sample_that_showed_the_current_marker()
    {
        var tracker = new SourceSilenceTracker();

        Assert.Equal(TimeSpan.Zero, tracker.Observe("a", T0));
        Assert.Equal(TimeSpan.FromSeconds(3), tracker.Observe("a", T0 + TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.Zero, tracker.Observe("b", T0 + TimeSpan.FromSeconds(4)));
        Assert.Equal(TimeSpan.FromSeconds(7), tracker.Observe("b", T0 + TimeSpan.FromSeconds(11)));
    }

    [Fact]
    public void Losing_the_marker_forgets_the_silence()
    {
        var tracker = new SourceSilenceTracker();
        tracker.Observe("a", T0);
        Assert.Null(tracker.Observe(null, T0 + TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.Zero, tracker.Observe("a", T0 + TimeSpan.FromSeconds(9)));
    }
}
