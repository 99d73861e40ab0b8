using Vtorc.Orchestrator.Discovery;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>How late the daemon ran its own timers lately (docs/reliability.md, "Push detection").</summary>
public sealed class SchedulingLagTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_recent_maximum_counts_samples_of_the_last_ten_seconds_only()
    {
        var lag = new SchedulingLag();
        Assert.Equal(TimeSpan.Zero, lag.RecentMax);
        lag.Record(T0, TimeSpan.FromSeconds(3));
        lag.Record(T0.AddSeconds(1), TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromSeconds(3), lag.RecentMax);
        lag.Record(T0.AddSeconds(10.5), TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.FromMilliseconds(200), lag.RecentMax);
        lag.Record(T0.AddSeconds(12), TimeSpan.FromMilliseconds(-5));
        Assert.Equal(TimeSpan.FromMilliseconds(50), lag.RecentMax);
    }
}
