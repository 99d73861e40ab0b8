using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Query;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Metrics;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// The health-stream listener's decisions (docs/reliability.md, "Push detection"), on a fake clock with scripted streams:
/// which stream events make the daemon look at a tablet, when silence counts, and how it reconnects.
/// </summary>
public sealed class HealthStreamListenerTests : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ScriptedHealthStreams _streams = new();
    private readonly DiscoveryState _state = new(TimeSpan.FromMinutes(1));
    private readonly ConcurrentQueue<HealthSignal> _signals = new();
    private readonly HealthStreamListener _listener;

    public HealthStreamListenerTests()
    {
        _listener = new HealthStreamListener(_streams, _state, new HealthStreamSettings(), (signal, _) =>
        {
            _signals.Enqueue(signal);
            return Task.CompletedTask;
        }, new VtorcMetrics(), NullLogger<HealthStreamListener>.Instance, _time);
    }

    [Fact]
    public void A_state_signals_only_a_turn_from_healthy_to_unhealthy()
    {
        var state = new HealthStreamState();
        Assert.Null(state.OnMessage(Message("mysqld is unreachable")));
        Assert.Null(state.OnBroken("stream failed"));
        Assert.Null(state.OnMessage(Message("")));
        Assert.Equal(HealthStreamCondition.Healthy, state.Condition);
        Assert.Contains("mysqld is unreachable", state.OnMessage(Message("mysqld is unreachable")));
        Assert.Null(state.OnBroken("stream failed"));
        Assert.Null(state.OnMessage(Message("still down")));
        Assert.Null(state.OnMessage(Message("")));
        Assert.Equal("stream failed", state.OnBroken("stream failed"));
        Assert.Equal(HealthStreamCondition.Unhealthy, state.Condition);
    }

    [Fact]
    public void Silence_is_timed_only_when_the_tablet_announced_its_heartbeat_and_never_below_two_heartbeats()
    {
        var settings = new HealthStreamSettings { SilenceTimeout = TimeSpan.FromSeconds(2) };
        Assert.Equal(Timeout.InfiniteTimeSpan, settings.SilenceDeadline(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(2), settings.SilenceDeadline(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(TimeSpan.FromSeconds(6), settings.SilenceDeadline(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task A_health_error_from_a_healthy_tablet_is_one_signal_naming_it()
    {
        var alias = await SubscribedHealthyTabletAsync(101, heartbeatMs: 1000);

        Assert.True(_streams.Send(alias, "mysqld at db:3306 is unreachable", 1000));
        Assert.True(_streams.Send(alias, "mysqld at db:3306 is unreachable", 1000));

        await WaitForSignalsAsync(1);
        var signal = Assert.Single(_signals);
        Assert.Equal(alias, signal.Alias);
        Assert.Contains("mysqld at db:3306 is unreachable", signal.Reason);
        Assert.False(signal.StreamLost);
    }

    [Fact]
    public async Task A_failed_stream_is_a_signal_and_is_reopened()
    {
        var alias = await SubscribedHealthyTabletAsync(101, heartbeatMs: 1000);

        Assert.True(_streams.Fail(alias, new RpcException(new Status(StatusCode.Unavailable, "connection reset"))));

        await WaitForSignalsAsync(1);
        Assert.Contains("connection reset", Assert.Single(_signals).Reason);
        Assert.True(_signals.Single().StreamLost);
        await AdvanceUntilAsync(() => _streams.Opened(alias) == 2, TimeSpan.FromMilliseconds(100), "the stream was reopened after its wait");
    }

    [Fact]
    public async Task A_stream_the_http2_client_aborted_is_reported_with_the_cause_the_status_detail_leaves_out()
    {
        var alias = await SubscribedHealthyTabletAsync(101, heartbeatMs: 1000);
        var aborted = new IOException("The request was aborted.", new IOException("The HTTP/2 server reset the stream. HTTP/2 error code 'CANCEL' (0x8)."));

        Assert.True(_streams.Fail(alias, new RpcException(new Status(StatusCode.Unavailable, "Error reading next message. IOException: The request was aborted.", aborted))));

        await WaitForSignalsAsync(1);
        Assert.Contains("its health stream failed: Unavailable: Error reading next message. IOException: The request was aborted. "
            + "(IOException: The HTTP/2 server reset the stream. HTTP/2 error code 'CANCEL' (0x8).)", Assert.Single(_signals).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_whose_connection_our_own_probe_replaced_is_reopened_at_once_without_a_signal()
    {
        var alias = await SubscribedHealthyTabletAsync(101, heartbeatMs: 1000);

        Assert.True(_streams.Fail(alias, new Vtorc.Reparent.TabletManager.HealthStreamConnectionReplacedException("replaced", new IOException("disposed"))));

        // No clock advance: a replaced connection is not a failure to back off from.
        await Poll.UntilAsync(() => Task.FromResult(_streams.Opened(alias) == 2), WaitLimit, "the stream was reopened");
        Assert.True(_streams.Send(alias, "", 1000));
        Assert.Empty(_signals);
        Assert.Equal(HealthStreamCondition.Healthy, _listener.ConditionOf(alias));
    }

    [Fact]
    public async Task A_stream_silent_past_the_timeout_from_a_tablet_with_a_heartbeat_is_a_signal()
    {
        var alias = await SubscribedHealthyTabletAsync(101, heartbeatMs: 1000);

        await AdvanceUntilAsync(() => !_signals.IsEmpty, TimeSpan.FromMilliseconds(250), "the silent stream was signalled");

        Assert.Contains("silent for 2s", Assert.Single(_signals).Reason);
        Assert.True(_signals.Single().StreamLost);
        Assert.True(_time.GetUtcNow() - Start >= TimeSpan.FromSeconds(2), "not before the silence timeout");
    }

    [Fact]
    public async Task A_daemon_that_ran_its_timers_late_gives_a_silent_stream_that_lag_on_top_of_the_timeout()
    {
        _listener.Lag.Record(_time.GetUtcNow(), TimeSpan.FromSeconds(3));
        var alias = await SubscribedHealthyTabletAsync(101, heartbeatMs: 1000);

        await AdvanceUntilAsync(() => !_signals.IsEmpty, TimeSpan.FromMilliseconds(250), "the silent stream was signalled");

        Assert.Contains("silent for 2s (--tablet-health-stream-timeout) plus 3s for the daemon's own lateness", Assert.Single(_signals).Reason);
        Assert.True(_time.GetUtcNow() - Start >= TimeSpan.FromSeconds(5), "not before the timeout plus the lag");
    }

    [Fact]
    public async Task A_stream_without_an_announced_heartbeat_is_never_timed_out_on_silence()
    {
        var vttablet = await SubscribedHealthyTabletAsync(101, heartbeatMs: 0);
        var agent = await SubscribedHealthyTabletAsync(102, heartbeatMs: 1000);

        // The agent's stream shows the clock moved far enough for silence to count; two more minutes on top.
        await AdvanceUntilAsync(() => _signals.Any(s => s.Alias == agent), TimeSpan.FromMilliseconds(250), "the agent's silent stream was signalled");
        for (int i = 0; i < 120; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _listener.SweepSilence();
            await Task.Yield();
        }

        // Had the vttablet's stream been taken as broken, it would be unhealthy now and this error would be no new signal.
        Assert.True(_streams.Send(vttablet, "replication is not running"));
        await Poll.UntilAsync(() => Task.FromResult(_signals.Any(s => s.Alias == vttablet)), WaitLimit, "the vttablet's error was signalled");
        Assert.Contains("replication is not running", _signals.Single(s => s.Alias == vttablet).Reason);
        Assert.Equal(1, _streams.Opened(vttablet));
    }

    [Fact]
    public async Task A_tablet_without_the_service_is_no_signal_and_is_asked_again_only_after_minutes()
    {
        _streams.FailOpensWith = new RpcException(new Status(StatusCode.Unimplemented, "unknown service queryservice.Query"));
        var alias = AddTablet(101);
        await _listener.ReconcileAsync();
        await Poll.UntilAsync(() => Task.FromResult(_streams.Opened(alias) == 1), WaitLimit, "the stream was asked for");

        await AdvanceUntilAsync(() => _streams.Opened(alias) == 2, TimeSpan.FromSeconds(10), "the stream was asked for again");

        Assert.True(_time.GetUtcNow() - Start >= TimeSpan.FromMinutes(5), "not before five minutes");
        Assert.Empty(_signals);
        Assert.Equal(1, _listener.TabletsWithoutStream);
    }

    [Fact]
    public async Task Streams_silent_in_a_burst_beyond_the_threshold_are_left_to_the_polls_and_counted()
    {
        var (listener, signals, metrics) = await BurstListenerAsync();
        var aliases = await HealthyTabletsAsync(listener, 201, 6);

        // The unhealthy count rises before the burst check decides, so wait for every silence to be decided one way or
        // the other: passed on as a signal or left to the polls.
        await AdvanceUntilAsync(() => signals.Count + metrics.Snapshot(VtorcStats.HealthStreamSignalsLeftToPolls).ValueOf() >= aliases.Length,
            TimeSpan.FromMilliseconds(250), "every silent stream was signalled or left to the polls", listener);

        Assert.Equal(aliases.Length, metrics.Snapshot(VtorcStats.HealthStreamSignals).ValueOf());
        Assert.Equal(2, signals.Count);
        Assert.All(signals, s => Assert.True(s.Silent));
        Assert.Equal(4, metrics.Snapshot(VtorcStats.HealthStreamSignalsLeftToPolls).ValueOf());
        await listener.DisposeAsync();
    }

    [Fact]
    public async Task Streams_that_fail_or_report_an_error_are_each_looked_at_even_many_at_once()
    {
        var (listener, signals, metrics) = await BurstListenerAsync();
        var aliases = await HealthyTabletsAsync(listener, 301, 6);

        foreach (var alias in aliases[..5])
        {
            Assert.True(_streams.Fail(alias, new RpcException(new Status(StatusCode.Unavailable, "connection reset"))));
        }
        Assert.True(_streams.Send(aliases[5], "mysqld is unreachable", 1000));

        await Poll.UntilAsync(() => Task.FromResult(signals.Count == aliases.Length), WaitLimit, "every signal was passed on");
        Assert.Equal(0, metrics.Snapshot(VtorcStats.HealthStreamSignalsLeftToPolls).ValueOf());
        Assert.Equal(5, signals.Count(s => s.StreamLost && !s.Silent));
        await listener.DisposeAsync();
    }

    /// <summary>A listener whose burst threshold is 3 silent streams.</summary>
    private Task<(HealthStreamListener Listener, ConcurrentQueue<HealthSignal> Signals, VtorcMetrics Metrics)> BurstListenerAsync()
    {
        var metrics = new VtorcMetrics();
        var signals = new ConcurrentQueue<HealthSignal>();
        var settings = new HealthStreamSettings { SilenceBurstMinimum = 3, SilenceBurstFraction = 0 };
        var listener = new HealthStreamListener(_streams, _state, settings, (signal, _) =>
        {
            signals.Enqueue(signal);
            return Task.CompletedTask;
        }, metrics, NullLogger<HealthStreamListener>.Instance, _time);
        return Task.FromResult((listener, signals, metrics));
    }

    private async Task<string[]> HealthyTabletsAsync(HealthStreamListener listener, uint firstUid, int count)
    {
        var aliases = Enumerable.Range(0, count).Select(i => AddTablet((uint)(firstUid + i))).ToArray();
        await listener.ReconcileAsync();
        foreach (var alias in aliases)
        {
            await Poll.UntilAsync(() => Task.FromResult(_streams.Send(alias, "", 1000)), WaitLimit, $"the stream of {alias} was opened");
            await Poll.UntilAsync(() => Task.FromResult(listener.ConditionOf(alias) == HealthStreamCondition.Healthy), WaitLimit,
                $"the first message of {alias} was read");
        }
        return aliases;
    }

    [Fact]
    public async Task Forgotten_tablets_lose_their_subscription()
    {
        var alias = await SubscribedHealthyTabletAsync(101, heartbeatMs: 1000);
        Assert.Equal(1, _listener.Subscriptions);

        _state.ForgetTablet(alias, _time.GetUtcNow());
        await _listener.ReconcileAsync();

        Assert.Equal(0, _listener.Subscriptions);
        Assert.Null(_listener.ConditionOf(alias));
        Assert.Empty(_signals);
    }

    private string AddTablet(uint uid)
    {
        var record = new TabletRecord(NewTablet("zone1", uid));
        _state.SaveTablet(record);
        return record.Alias;
    }

    private async Task<string> SubscribedHealthyTabletAsync(uint uid, uint heartbeatMs)
    {
        var alias = AddTablet(uid);
        await _listener.ReconcileAsync();
        await Poll.UntilAsync(() => Task.FromResult(_streams.Send(alias, "", heartbeatMs)), WaitLimit, "the stream was opened");
        await Poll.UntilAsync(() => Task.FromResult(_listener.ConditionOf(alias) == HealthStreamCondition.Healthy), WaitLimit,
            "the first message was read");
        return alias;
    }

    private Task WaitForSignalsAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(_signals.Count >= count), WaitLimit, $"{count} signal(s)");

    /// <summary>
    /// Moves the fake clock in steps until <paramref name="done"/> holds (the listener's timers run on it), sweeping the
    /// streams' silence after each step as the started listener's sweep loop does.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<bool> done, TimeSpan step, string what, HealthStreamListener? listener = null)
    {
        var limit = DateTime.UtcNow + WaitLimit;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < limit, $"timed out waiting for: {what}");
            _time.Advance(step);
            (listener ?? _listener).SweepSilence();
            await Task.Delay(1);
        }
    }

    private static StreamHealthResponse Message(string error) => new() { RealtimeStats = new RealtimeStats { HealthError = error } };

    public async ValueTask DisposeAsync() => await _listener.DisposeAsync();
}
