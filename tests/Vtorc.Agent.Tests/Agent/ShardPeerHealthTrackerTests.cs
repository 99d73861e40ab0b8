using Topodata;
using Vtorc.Agent.ShardHealth;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>The shard-peer monitor's decisions (vttablet's go/vt/vttablet/tabletmanager/shard_health.go), time given.</summary>
public sealed class ShardPeerHealthTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly TabletAlias Self = TabletAliases.Create("zone1", 101);
    private static readonly TabletAlias Primary = TabletAliases.Create("zone1", 100);
    private static readonly TabletAlias Other = TabletAliases.Create("zone1", 102);

    private static Tablet TabletOf(TabletAlias alias, TabletType type = TabletType.Replica) =>
        new() { Alias = alias, Hostname = "127.0.0.1", Type = type, PortMap = { ["grpc"] = 16000 + (int)alias.Uid } };

    private static readonly Tablet[] Shard = [TabletOf(Primary, TabletType.Primary), TabletOf(Self), TabletOf(Other)];

    [Fact]
    public void The_target_is_the_primary_the_shard_record_names()
    {
        Assert.Equal(Primary, ShardPeerHealthTracker.ChooseTarget(Self, Primary, Shard)?.Alias);
        // Not the tablet whose record says PRIMARY: the record's type lags behind a reparent.
        Assert.Equal(Other, ShardPeerHealthTracker.ChooseTarget(Self, Other, Shard)?.Alias);
    }

    [Fact]
    public void Nothing_is_tracked_by_the_primary_itself_without_a_recorded_primary_or_without_its_tablet_record()
    {
        Assert.Null(ShardPeerHealthTracker.ChooseTarget(Primary, Primary, Shard));
        Assert.Null(ShardPeerHealthTracker.ChooseTarget(Self, null, Shard));
        Assert.Null(ShardPeerHealthTracker.ChooseTarget(Self, new TabletAlias(), Shard));
        Assert.Null(ShardPeerHealthTracker.ChooseTarget(Self, TabletAliases.Create("zone1", 999), Shard));
    }

    [Fact]
    public void Nothing_is_reported_before_the_first_ping_ends()
    {
        var tracker = new ShardPeerHealthTracker(Self);
        Assert.Empty(tracker.Report(T0));
        Assert.True(tracker.SetTarget(TabletOf(Primary)));
        Assert.Empty(tracker.Report(T0));
    }

    [Fact]
    public void Failures_count_in_a_row_and_a_success_resets_them()
    {
        var tracker = new ShardPeerHealthTracker(Self);
        tracker.SetTarget(TabletOf(Primary));
        Assert.Equal(PeerContactChange.Reached, tracker.RecordPing(Primary, answered: true, T0));
        Assert.Equal(PeerContactChange.Lost, tracker.RecordPing(Primary, answered: false, T0.AddSeconds(1)));
        Assert.Equal(PeerContactChange.None, tracker.RecordPing(Primary, answered: false, T0.AddSeconds(2)));
        Assert.Equal(PeerContactChange.None, tracker.RecordPing(Primary, answered: false, T0.AddSeconds(3)));

        var entry = Assert.Single(tracker.Report(T0.AddSeconds(3.5)));
        Assert.Equal(Primary, entry.TabletAlias);
        Assert.Equal(3, entry.ConsecutivePingFailures);
        Assert.Equal(T0, VtTime.ToDateTimeOffset(entry.LastSuccessfulPing));
        Assert.Equal(T0.AddSeconds(3), VtTime.ToDateTimeOffset(entry.LastAttemptedPing));
        Assert.Equal(new Vttime.Duration { Seconds = 0, Nanos = 500_000_000 }, entry.TimeSinceLastAttemptedPing);

        Assert.Equal(PeerContactChange.Regained, tracker.RecordPing(Primary, answered: true, T0.AddSeconds(4)));
        Assert.Equal(0, Assert.Single(tracker.Report(T0.AddSeconds(4))).ConsecutivePingFailures);
        Assert.Equal(PeerContactChange.None, tracker.RecordPing(Primary, answered: true, T0.AddSeconds(5)));
    }

    [Fact]
    public void A_peer_never_reached_is_reported_without_a_successful_ping_and_lost_is_said_once()
    {
        var tracker = new ShardPeerHealthTracker(Self);
        tracker.SetTarget(TabletOf(Primary));
        Assert.Equal(PeerContactChange.Lost, tracker.RecordPing(Primary, answered: false, T0));
        Assert.Equal(PeerContactChange.None, tracker.RecordPing(Primary, answered: false, T0.AddSeconds(1)));
        var entry = Assert.Single(tracker.Report(T0.AddSeconds(1)));
        Assert.Null(entry.LastSuccessfulPing);
        Assert.Equal(2, entry.ConsecutivePingFailures);
    }

    [Fact]
    public void A_new_target_starts_afresh_and_late_results_about_the_old_one_are_ignored()
    {
        var tracker = new ShardPeerHealthTracker(Self);
        tracker.SetTarget(TabletOf(Primary));
        tracker.RecordPing(Primary, answered: false, T0);
        Assert.False(tracker.SetTarget(TabletOf(Primary)), "the same primary read again is no change");
        Assert.Equal(1, tracker.ConsecutiveFailures);

        Assert.True(tracker.SetTarget(TabletOf(Other)));
        Assert.Empty(tracker.Report(T0));
        Assert.Equal(PeerContactChange.None, tracker.RecordPing(Primary, answered: false, T0.AddSeconds(1)));
        Assert.Equal(0, tracker.ConsecutiveFailures);

        Assert.True(tracker.SetTarget(null));
        Assert.Null(tracker.Target);
        Assert.False(tracker.SetTarget(null));
        Assert.Empty(tracker.Report(T0.AddSeconds(2)));
    }

    [Fact]
    public void A_clock_step_back_reports_a_zero_age_not_a_negative_one()
    {
        var tracker = new ShardPeerHealthTracker(Self);
        tracker.SetTarget(TabletOf(Primary));
        tracker.RecordPing(Primary, answered: true, T0);
        Assert.Equal(new Vttime.Duration(), Assert.Single(tracker.Report(T0.AddSeconds(-5))).TimeSinceLastAttemptedPing);
    }
}
