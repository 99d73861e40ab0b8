using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Discovery;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// When a tablet is due for its next poll (issue 14): half a health tick before the poll interval has passed since its
/// last check, so that polls seen only at health ticks come every poll interval on average, not every interval plus
/// half a tick. The health tick, the recent-poll cache and the up-to-date check all follow the same rule. Pure logic
/// over <see cref="DiscoveryState"/> and the poller with a fake clock and fake tablets.
/// </summary>
public sealed class PollDueRuleTests : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    /// <summary>1 s − 125 ms: when a tablet checked at 0 is due again.</summary>
    private static readonly TimeSpan DueAge = TimeSpan.FromMilliseconds(875);

    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private readonly DiscoverySettings _settings = new() { InstancePollTime = Poll, HealthTick = Tick, DiscoveryWorkers = 1 };
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeTabletManager _tablets = new() { UnscriptedCallsFail = true };
    private readonly DiscoveryState _state;
    private readonly InstancePoller _poller;

    public PollDueRuleTests()
    {
        _state = new DiscoveryState(_settings.ForgetTtl);
        _poller = new InstancePoller(_tablets, _state, _settings, _time, new FakeDiscoveryMetrics(), NullLogger<InstancePoller>.Instance);
    }

    [Fact]
    public void TheDueAgeIsThePollIntervalLessHalfAHealthTick()
    {
        Assert.Equal(DueAge, _settings.PollDueAge);
        // Never more than half the poll interval early, whatever the tick.
        Assert.Equal(TimeSpan.FromMilliseconds(500), (_settings with { HealthTick = TimeSpan.FromSeconds(5) }).PollDueAge);
    }

    [Fact]
    public void ATabletCheckedAtTIsDueFromTPlusTheDueAge()
    {
        var alias = AddTablet(101);
        _state.UpdateObservation(alias, _ => Checked(alias, Start));

        Assert.DoesNotContain(alias, Outdated(Start + DueAge - Ms));
        Assert.Contains(alias, Outdated(Start + DueAge));
    }

    [Fact]
    public void ATabletWhosePollHangsIsDueAtTwiceTheIntervalLessHalfATick()
    {
        var alias = AddTablet(101);
        _state.UpdateObservation(alias, _ => Checked(alias, Start).WithAttemptedCheck(Start.AddMilliseconds(1)));

        Assert.DoesNotContain(alias, Outdated(Start + Poll + DueAge - Ms));
        Assert.Contains(alias, Outdated(Start + Poll + DueAge));
    }

    [Fact]
    public async Task ATabletPolledAtTIsPolledAgainWhenTheTickFindsItDue()
    {
        var alias = AddTablet(101);
        _tablets.Returns(alias, "FullStatus", Healthy(101, TabletType.Replica));
        Assert.True(await _poller.DiscoverAsync(alias, force: false, Deadline()));

        _time.Advance(DueAge - Ms);
        Assert.False(await _poller.DiscoverAsync(alias, force: false, Deadline()));
        _time.Advance(Ms);
        Assert.Contains(alias, Outdated(_time.GetUtcNow()));
        Assert.True(await _poller.DiscoverAsync(alias, force: false, Deadline()));

        Assert.Equal(2, _tablets.CallsTo("FullStatus", alias).Count);
    }

    private string AddTablet(uint uid)
    {
        var record = new TabletRecord(NewTablet("zone1", uid));
        _state.SaveTablet(record);
        return record.Alias;
    }

    private IReadOnlyList<string> Outdated(DateTimeOffset now) => _state.OutdatedAliases(now, Poll, _settings.PollDueEarliness);

    private static InstanceObservation Checked(string alias, DateTimeOffset at) => new()
    {
        Alias = alias,
        Hostname = "db",
        Port = 3306,
        LastChecked = at,
        LastSeen = at,
        LastAttemptedCheck = at,
    };

    public async ValueTask DisposeAsync() => await _poller.DisposeAsync();
}
