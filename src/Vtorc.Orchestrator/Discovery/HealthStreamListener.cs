using Grpc.Core;
using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Keeps one health-stream subscription (<see cref="TabletHealthSubscription"/>) per watched tablet, our agents and
/// vttablets alike (docs/reliability.md, "Push detection"): every <see cref="HealthStreamSettings.ReconcileInterval"/>
/// it opens streams to new tablets, closes those of forgotten or shut-down tablets, and reopens those whose address
/// changed. A stream turning unhealthy is handed to <c>onSignal</c> (the poller's immediate look at the tablet).
/// </summary>
public sealed class HealthStreamListener : IAsyncDisposable
{
    private readonly ITabletHealthStreams _streams;
    private readonly DiscoveryState _state;
    private readonly HealthStreamSettings _settings;
    private readonly Func<HealthSignal, CancellationToken, Task> _onSignal;
    private readonly IHealthStreamMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, TabletHealthSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unaddressable = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    // Apart from _lock, which a reconcile holds while it walks every tablet: at fleet size thousands of streams may be
    // lost at once, and their signals spinning on the reconcile's lock took a quarter of the daemon's CPU in a profile.
    private readonly Lock _burstLock = new();
    private readonly SilentStreamBurst _burst;
    private volatile int _subscriptionCount;
    private readonly SchedulingLag _lag = new();
    private readonly SemaphoreSlim _looks;
    private readonly BackgroundLoop[] _loops;
    private volatile TabletHealthSubscription[] _swept = [];
    private object? _reconciledVersion;
    private int _withoutStreamLogged;

    public HealthStreamListener(ITabletHealthStreams streams, DiscoveryState state, HealthStreamSettings settings,
        Func<HealthSignal, CancellationToken, Task> onSignal, IHealthStreamMetrics metrics, ILogger<HealthStreamListener> logger, TimeProvider time)
    {
        _streams = streams ?? throw new ArgumentNullException(nameof(streams));
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _settings.Validate();
        _onSignal = onSignal ?? throw new ArgumentNullException(nameof(onSignal));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _burst = new SilentStreamBurst(_settings.SilenceBurstWindow, _settings.SilenceBurstMinimum, _settings.SilenceBurstFraction);
        _looks = new SemaphoreSlim(_settings.MaxConcurrentLooks);
        _loops =
        [
            new BackgroundLoop("health stream reconcile", _logger, ReconcileLoopAsync),
            new BackgroundLoop("scheduling lag probe", _logger, stopping => _lag.RunAsync(_time, stopping)),
            BackgroundLoop.Periodic("health stream silence sweep", _logger, _settings.SilenceSweepInterval, _time, () => SweepSilence()),
        ];
    }

    /// <summary>Tablets with a subscription (open, connecting or waiting to reconnect).</summary>
    public int Subscriptions
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>How late the daemon has been running its timers lately (sampled once <see cref="Start"/> ran).</summary>
    public SchedulingLag Lag => _lag;

    /// <summary>The stream condition of one tablet; null when it has no subscription.</summary>
    public HealthStreamCondition? ConditionOf(string alias)
    {
        lock (_lock)
        {
            return _subscriptions.TryGetValue(alias, out var s) ? s.Condition : null;
        }
    }

    public void Start()
    {
        foreach (var loop in _loops)
        {
            loop.Start();
        }
        _logger.HealthStreamsListening(GoDuration.Format(_settings.SilenceTimeout));
    }

    /// <summary>Reconciles at once, then every interval; ends with <see cref="_stopping"/>, which the subscriptions share.</summary>
    private async Task ReconcileLoopAsync(CancellationToken _)
    {
        using var timer = new PeriodicTimer(_settings.ReconcileInterval, _time);
        try
        {
            do
            {
                try
                {
                    await ReconcileAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.HealthStreamReconcileFailed(e, _settings.ReconcileInterval, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Passes a signal on, unless it is a silent stream within a burst of them (<see cref="SilentStreamBurst"/>): then the
    /// tablet is left to its regular polls. A reported health error always passes (the tablet was heard), and so does a
    /// stream that ended or failed (something answered: a reset from a host whose process died, say, even a hundred at once
    /// when a rack goes). At most <see cref="HealthStreamSettings.MaxConcurrentLooks"/> looks run at once, so a mass event
    /// queues them instead of piling polls onto the daemon.
    /// </summary>
    private async Task OnSignalAsync(HealthSignal signal, CancellationToken cancellationToken)
    {
        if (signal.Silent)
        {
            bool admitted;
            bool began;
            int threshold;
            int streams = _subscriptionCount;
            lock (_burstLock)
            {
                bool before = _burst.InBurst;
                admitted = _burst.Admit(_time.GetUtcNow(), streams);
                began = !before && _burst.InBurst;
                threshold = _burst.Threshold(streams);
            }
            if (began)
            {
                _logger.HealthStreamSilenceBurst(threshold, GoDuration.Format(_settings.SilenceBurstWindow));
            }
            if (!admitted)
            {
                _metrics.CountHealthStreamSignalLeftToPolls();
                _logger.HealthStreamSignalSuppressed(signal.Alias, signal.Reason);
                return;
            }
        }
        await _looks.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _onSignal(signal, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _looks.Release();
        }
    }

    /// <summary>Ends the reads of the streams silent for too long (<see cref="StreamSilenceWatch"/>).</summary>
    /// <returns>How many were ended.</returns>
    public int SweepSilence()
    {
        int ended = 0;
        long now = _time.GetTimestamp();
        var lagAllowance = _lag.RecentMax;
        foreach (var subscription in _swept)
        {
            if (subscription.CheckSilence(now, lagAllowance))
            {
                ended++;
            }
        }
        return ended;
    }

    private bool InSilenceBurst()
    {
        lock (_burstLock)
        {
            return _burst.InBurst;
        }
    }

    private void LogBurstCalmed()
    {
        int suppressed;
        int streams = _subscriptionCount;
        lock (_burstLock)
        {
            if (!_burst.Calmed(_time.GetUtcNow(), streams))
            {
                return;
            }
            suppressed = _burst.Suppressed;
        }
        _logger.HealthStreamSilenceBurstOver(suppressed);
    }

    /// <summary>Opens, closes and reopens subscriptions so that they match the watched tablets.</summary>
    public async Task ReconcileAsync()
    {
        LogBurstCalmed();
        LogTabletsWithoutStream();
        // Once a second over every tablet is an O(fleet) walk (addresses, a map): done only when a tablet record changed.
        var version = _state.TabletsVersion;
        if (ReferenceEquals(version, _reconciledVersion))
        {
            return;
        }
        var wanted = new Dictionary<string, (Topodata.Tablet Tablet, string Address)>(StringComparer.Ordinal);
        foreach (var tablet in _state.Tablets)
        {
            string address;
            try
            {
                address = TabletAddress.Of(tablet.Tablet, "StreamHealth");
            }
            catch (RpcException e)
            {
                // A shut-down tablet or a record without a usable grpc port: nothing to listen to.
                lock (_lock)
                {
                    if (_unaddressable.Add(tablet.Alias))
                    {
                        _logger.HealthStreamUnavailable(tablet.Alias, e.Status.Detail);
                    }
                }
                continue;
            }
            wanted[tablet.Alias] = (tablet.Tablet, address);
        }

        List<TabletHealthSubscription> stale = [];
        List<TabletHealthSubscription> started = [];
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _unaddressable.IntersectWith(_state.Tablets.Select(t => t.Alias));
            foreach (var (alias, subscription) in _subscriptions)
            {
                if (!wanted.TryGetValue(alias, out var want) || want.Address != subscription.Address)
                {
                    stale.Add(subscription);
                }
            }
            foreach (var subscription in stale)
            {
                _subscriptions.Remove(subscription.Alias);
            }
            foreach (var (alias, (tablet, address)) in wanted)
            {
                if (!_subscriptions.ContainsKey(alias))
                {
                    var subscription = new TabletHealthSubscription(tablet, alias, address, _streams, _settings, OnSignalAsync, _metrics, _logger, _time,
                        _stopping.Token, InSilenceBurst);
                    _subscriptions[alias] = subscription;
                    started.Add(subscription);
                }
            }
            _subscriptionCount = _subscriptions.Count;
            _swept = [.. _subscriptions.Values];
        }
        foreach (var subscription in started)
        {
            subscription.Start();
        }
        if (started.Count > 0 || stale.Count > 0)
        {
            _logger.HealthStreamsChanged(started.Count, stale.Count, Subscriptions);
        }
        foreach (var subscription in stale)
        {
            await subscription.StopAsync().ConfigureAwait(false);
        }
        _reconciledVersion = version;
    }

    private void LogTabletsWithoutStream()
    {
        int withoutStream = TabletsWithoutStream;
        if (Interlocked.Exchange(ref _withoutStreamLogged, withoutStream) != withoutStream)
        {
            _logger.HealthStreamsUnimplemented(withoutStream);
        }
    }

    /// <summary>Tablets whose last answer to the stream request was UNIMPLEMENTED.</summary>
    public int TabletsWithoutStream
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Values.Count(s => s.ServesNoStream);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        TabletHealthSubscription[] all;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _stopping.Cancel();
            all = [.. _subscriptions.Values];
            _subscriptions.Clear();
        }
        await Task.WhenAll(_loops.Select(l => l.StopAsync())).ConfigureAwait(false);
        foreach (var subscription in all)
        {
            await subscription.StopAsync().ConfigureAwait(false);
        }
        _stopping.Dispose();
        _looks.Dispose();
    }
}
