using Grpc.Core;
using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// The daemon's subscription to one tablet's health stream (docs/reliability.md, "Push detection"): reads the stream,
/// times out on its silence when the tablet announced a heartbeat interval, reconnects with a doubling, jittered wait,
/// and hands every turn from healthy to unhealthy (<see cref="HealthStreamState"/>) to <c>onSignal</c>, which it awaits
/// before reading on (so one tablet never has two looks in flight).
/// </summary>
internal sealed class TabletHealthSubscription
{
    private readonly ITabletHealthStreams _streams;
    private readonly HealthStreamSettings _settings;
    private readonly Func<HealthSignal, CancellationToken, Task> _onSignal;
    private readonly IHealthStreamMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;
    private readonly HealthStreamState _state = new();
    private readonly Func<bool> _inSilenceBurst;
    private volatile StreamSilenceWatch? _silence;
    private Task? _loop;

    public TabletHealthSubscription(Tablet tablet, string alias, string address, ITabletHealthStreams streams, HealthStreamSettings settings,
        Func<HealthSignal, CancellationToken, Task> onSignal, IHealthStreamMetrics metrics, ILogger logger, TimeProvider time,
        CancellationToken stopping, Func<bool>? inSilenceBurst = null)
    {
        _inSilenceBurst = inSilenceBurst ?? (static () => false);
        Tablet = tablet;
        Alias = alias;
        Address = address;
        _streams = streams;
        _settings = settings;
        _onSignal = onSignal;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public Tablet Tablet { get; }

    public string Alias { get; }

    /// <summary>The address the stream was opened to (a tablet record with another one needs a new subscription).</summary>
    public string Address { get; }

    public HealthStreamCondition Condition => _state.Condition;

    /// <summary>The tablet answered UNIMPLEMENTED the last time its stream was asked for.</summary>
    public bool ServesNoStream { get; private set; }

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Ends the current stream's read if it has been silent too long (the listener's sweep).</summary>
    public bool CheckSilence(long now, TimeSpan lagAllowance) => _silence?.Check(now, lagAllowance) ?? false;

    private async Task RunAsync()
    {
        var wait = _settings.ReconnectMinimum;
        while (!_stop.IsCancellationRequested)
        {
            string reason;
            bool heard = false;
            bool silent = false;
            bool replaced = false;
            using (var read = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                var silence = new StreamSilenceWatch(_time, read, _settings.FirstMessageTimeout);
                _silence = silence;
                try
                {
                    await foreach (var message in _streams.StreamHealthAsync(Tablet, read.Token).ConfigureAwait(false))
                    {
                        if (!heard)
                        {
                            heard = true;
                            ServesNoStream = false;
                            wait = _settings.ReconnectMinimum;
                            _metrics.AddHealthStreamsConnected(1);
                            _logger.HealthStreamConnected(Alias, Address);
                        }
                        // Our agent also sends a snapshot every interval, so any message restarts the silence clock.
                        silence.Heard(_settings.SilenceDeadline(TimeSpan.FromMilliseconds(message.HeartbeatIntervalMs)));
                        if (_state.OnMessage(message) is { } signal)
                        {
                            await SignalAsync(new HealthSignal(Alias, signal, StreamLost: false)).ConfigureAwait(false);
                        }
                    }
                    reason = "the tablet ended its health stream";
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException)
                {
                    silent = true;
                    // The allowance is said because a silence seen by a daemon far behind (a large allowance) is more likely its own.
                    string allowance = silence.LagAllowanceUsed > TimeSpan.Zero
                        ? $" plus {GoDuration.Format(TimeSpan.FromMilliseconds(Math.Ceiling(silence.LagAllowanceUsed.TotalMilliseconds)))} for the daemon's own lateness"
                        : "";
                    reason = heard
                        ? $"its health stream was silent for {GoDuration.Format(silence.Deadline)} (--tablet-health-stream-timeout){allowance}"
                        : $"its health stream sent nothing within {GoDuration.Format(silence.Deadline)} of being opened{allowance}";
                }
                catch (HealthStreamConnectionReplacedException)
                {
                    // Our own probe dropped the connection (and is polling the tablet): nothing is known about the tablet
                    // from it, so no signal; at fleet start thousands of such probes cut as many streams at once.
                    replaced = true;
                    reason = "";
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
                {
                    // A tablet without the service (an old or simulated tablet): polling covers it; ask again much later. The
                    // listener logs how many such tablets there are (one line per tablet would flood a large fleet's log).
                    ServesNoStream = true;
                    _logger.HealthStreamNotServed(Alias, e.Status.Detail, GoDuration.Format(_settings.UnimplementedRetry));
                    reason = "";
                }
                catch (RpcException e)
                {
                    reason = $"its health stream failed: {Describe(e)}";
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    reason = $"its health stream failed: {e.Message}";
                }
                finally
                {
                    _silence = null;
                    if (heard)
                    {
                        _metrics.AddHealthStreamsConnected(-1);
                    }
                }
            }

            if (replaced)
            {
                _logger.HealthStreamConnectionReplaced(Alias);
                continue;
            }
            if (ServesNoStream && reason.Length == 0)
            {
                // Waited out here, not inside the catch: an await there would keep the exception, the call and its
                // cancellation sources alive for minutes, for every such tablet of the fleet.
                if (!await DelayAsync(_settings.UnimplementedRetry).ConfigureAwait(false))
                {
                    return;
                }
                continue;
            }
            if (_state.OnBroken(reason) is { } brokenSignal)
            {
                await SignalAsync(new HealthSignal(Alias, brokenSignal, StreamLost: true, Silent: silent)).ConfigureAwait(false);
            }
            else
            {
                _logger.HealthStreamReconnecting(Alias, reason, wait);
            }
            // Within a burst of silent streams (SilentStreamBurst) the reconnects are spread over a few seconds, so that thousands
            // of them do not land at once on a daemon that is already behind.
            var pause = _inSilenceBurst() ? Spread(wait, _settings.SilenceBurstReconnectSpread) : Jittered(wait);
            if (!await DelayAsync(pause).ConfigureAwait(false))
            {
                return;
            }
            wait = TimeSpan.FromTicks(Math.Min(_settings.ReconnectMaximum.Ticks, wait.Ticks * 2));
        }
    }

    private async Task SignalAsync(HealthSignal signal)
    {
        _metrics.CountHealthStreamSignal();
        try
        {
            await _onSignal(signal, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.HealthStreamReactionFailed(e, Alias, e.Message);
        }
    }

    /// <summary>
    /// The status and its detail, then each cause the detail does not already name: grpc-dotnet's detail names only the
    /// first exception, and for a stream the HTTP/2 client aborted ("The request was aborted") the reason (the server's
    /// RST_STREAM code, the connection's failure) is that exception's inner one.
    /// </summary>
    private static string Describe(RpcException e)
    {
        var text = new System.Text.StringBuilder().Append(e.StatusCode).Append(": ").Append(e.Status.Detail);
        for (var cause = e.Status.DebugException; cause is not null; cause = cause.InnerException)
        {
            if (!text.ToString().Contains(cause.Message, StringComparison.Ordinal))
            {
                text.Append(" (").Append(cause.GetType().Name).Append(": ").Append(cause.Message).Append(')');
            }
        }
        return text.ToString();
    }

    /// <returns>False when stopped meanwhile.</returns>
    private async Task<bool> DelayAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>±20%, so thousands of streams broken by one event (a daemon's network blip) do not reconnect in step.</summary>
    private static TimeSpan Jittered(TimeSpan wait) => TimeSpan.FromTicks((long)(wait.Ticks * (0.8 + 0.4 * Random.Shared.NextDouble())));

    /// <summary>Uniform between <paramref name="wait"/> and the larger of it and <paramref name="spread"/>.</summary>
    private static TimeSpan Spread(TimeSpan wait, TimeSpan spread) =>
        wait + TimeSpan.FromTicks((long)(Math.Max(0, spread.Ticks - wait.Ticks) * Random.Shared.NextDouble()));

    public async ValueTask StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
