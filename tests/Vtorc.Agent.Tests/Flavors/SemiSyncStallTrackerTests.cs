using Vtorc.Agent.Flavors;

namespace Vtorc.Agent.Tests.Flavors;

public sealed class SemiSyncStallTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(5);

    private static SemiSyncState Waiting(uint sessions, ulong acked, bool enabled = true) =>
        new() { PrimaryEnabled = enabled, PrimaryWaitSessions = sessions, PrimaryAckedTransactions = acked };

    [Fact]
    public void Commits_waiting_without_any_acknowledgement_for_the_threshold_are_blocked()
    {
        var tracker = new SemiSyncStallTracker(Threshold);
        Assert.False(tracker.Observe(Waiting(1, 100), T0));
        Assert.False(tracker.Observe(Waiting(2, 100), T0 + Threshold - TimeSpan.FromMilliseconds(1)));
        Assert.True(tracker.Observe(Waiting(2, 100), T0 + Threshold));
    }

    [Fact]
    public void A_busy_primary_whose_acknowledgements_keep_arriving_is_never_blocked()
    {
        var tracker = new SemiSyncStallTracker(Threshold);
        for (int second = 0; second < 30; second++)
        {
            Assert.False(tracker.Observe(Waiting(3, (ulong)(100 + second)), T0.AddSeconds(second)));
        }
    }

    [Fact]
    public void No_waiting_session_clears_the_stall()
    {
        var tracker = new SemiSyncStallTracker(Threshold);
        tracker.Observe(Waiting(1, 100), T0);
        Assert.False(tracker.Observe(Waiting(0, 100), T0.AddSeconds(3)));
        Assert.False(tracker.Observe(Waiting(1, 100), T0.AddSeconds(6)));
        Assert.True(tracker.Observe(Waiting(1, 100), T0.AddSeconds(11)));
    }

    [Fact]
    public void A_primary_with_semi_sync_off_is_never_blocked()
    {
        var tracker = new SemiSyncStallTracker(Threshold);
        Assert.False(tracker.Observe(Waiting(1, 100, enabled: false), T0));
        Assert.False(tracker.Observe(Waiting(1, 100, enabled: false), T0.AddMinutes(1)));
    }

    [Fact]
    public void The_threshold_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SemiSyncStallTracker(TimeSpan.Zero));
}
