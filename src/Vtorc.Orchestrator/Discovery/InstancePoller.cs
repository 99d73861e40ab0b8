using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;
using Vtorc.Protocol.Background;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Polls tablets with FullStatus (go/vt/vtorc/logic/vtorc.go, go/vt/vtorc/inst/instance_dao.go): a pool of
/// <c>--discovery-workers</c> workers takes aliases from a de-duplicating <see cref="DiscoveryQueue"/>; a health tick
/// queues every tablet due for a poll. A success stores a fresh observation (with errant GTIDs); a failure only moves
/// the bookkeeping, so the analysis sees an unreachable tablet. Our addition: when the poll of a PRIMARY fails, the
/// shard's other tablets are polled at once and <see cref="ShardNeedsAnalysis"/> is raised, because detection, not
/// repair, is what makes a failover slow.
/// </summary>
public sealed class InstancePoller : IAsyncDisposable
{
    private readonly ITabletManagerClient _client;
    private readonly DiscoveryState _state;
    private DiscoverySettings _settings;
    private readonly TimeProvider _time;
    private readonly IDiscoveryMetrics _metrics;
    private readonly ILogger _logger;
    // Lock-free: every poll passes here, and at fleet size a lock taken 10,000 times a second by 300 workers was where
    // polls queued up (docs/reliability.md, "How often each tablet is polled").
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _recentUntil = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RunningPoll, byte> _running = new();
    private readonly List<BackgroundLoop> _loops = [];
    private int _workersActive;

    public InstancePoller(ITabletManagerClient client, DiscoveryState state, DiscoverySettings settings, TimeProvider time,
        IDiscoveryMetrics metrics, ILogger<InstancePoller> logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _settings.Validate();
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public DiscoveryQueue Queue { get; } = new();

    /// <summary>
    /// The settings in force. <c>--instance-poll-time</c> is a dynamic setting in VTOrc (go/vt/vtorc/config/config.go):
    /// a new value applies from the next health tick and poll; the worker count stays as started.
    /// </summary>
    public DiscoverySettings Settings
    {
        get => Volatile.Read(ref _settings);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            Volatile.Write(ref _settings, value);
        }
    }

    /// <summary>Tablets polled within the last poll interval (the <c>DiscoveriesRecentCount</c> gauge).</summary>
    public int RecentDiscoveryCount
    {
        get
        {
            var now = _time.GetUtcNow();
            return _recentUntil.Count(p => now < p.Value);
        }
    }

    /// <summary>
    /// Raised (on the polling thread) when a PRIMARY's poll starts failing, after the re-poll of the shard's other
    /// tablets. Handlers must be quick; an exception is logged, not propagated.
    /// </summary>
    public event EventHandler<ShardNeedsAnalysisEventArgs>? ShardNeedsAnalysis;

    /// <summary>Starts the workers and the health tick; stop with <see cref="DisposeAsync"/>.</summary>
    public void Start()
    {
        lock (_loops)
        {
            if (_loops.Count != 0)
            {
                throw new InvalidOperationException("The instance poller is already started.");
            }
            for (int i = 0; i < Settings.DiscoveryWorkers; i++)
            {
                _loops.Add(new BackgroundLoop($"discovery worker {i + 1}", _logger, WorkerLoopAsync));
            }
            _loops.Add(BackgroundLoop.Periodic("instance poller health tick", _logger, Settings.HealthTick, _time, HealthTick));
            foreach (var loop in _loops)
            {
                loop.Start();
            }
        }
        _metrics.SetWorkers(Settings.DiscoveryWorkers);
        _logger.PollerStarted(
            Settings.DiscoveryWorkers, GoDuration.Format(Settings.InstancePollTime), GoDuration.Format(Settings.RemoteOperationTimeout));
    }

    /// <summary>Queues an alias for a poll (no-op when queued or being polled).</summary>
    public bool Enqueue(string alias) => Queue.Push(alias);

    /// <summary>One health tick: queues every tablet due for a poll (onHealthTick).</summary>
    /// <returns>How many aliases were added to the queue.</returns>
    public int EnqueueOutdated()
    {
        var settings = Settings;
        var due = _state.OutdatedAliases(_time.GetUtcNow(), settings.InstancePollTime, settings.PollDueEarliness);
        int added = due.Count(Enqueue);
        _logger.HealthTick(due.Count, added, Queue.Count);
        return added;
    }

    /// <summary>
    /// Polls one tablet now, ignoring the recent-discovery cache (for recoveries and the API). A failed primary here
    /// does not trigger the shard re-poll: the caller is already looking at the shard.
    /// </summary>
    public async Task ForcePollAsync(string alias, CancellationToken cancellationToken) =>
        await DiscoverAsync(alias, force: true, reactToPrimaryFailure: false, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <see cref="ForcePollAsync"/> on a new connection (the old one is dropped, with any poll stuck on it) and within
    /// <paramref name="timeout"/> (docs/reliability.md, "Fencing before promotion").
    /// </summary>
    public async Task ProbeOnNewConnectionAsync(string alias, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_state.TryGetTablet(alias) is { } tablet)
        {
            _client.ResetConnection(tablet.Tablet);
        }
        await DiscoverAsync(alias, force: true, reactToPrimaryFailure: false, cancellationToken, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>DiscoverInstance</c> (go/vt/vtorc/logic/vtorc.go): skips forgotten aliases and (unless
    /// <paramref name="force"/>) aliases whose poll started, or whose valid last check ended, less than
    /// <see cref="DiscoverySettings.PollDueAge"/> ago — the same due rule as the health tick's; otherwise polls.
    /// </summary>
    /// <returns>True when a poll ran and succeeded.</returns>
    public Task<bool> DiscoverAsync(string alias, bool force, CancellationToken cancellationToken) =>
        DiscoverAsync(alias, force, reactToPrimaryFailure: true, cancellationToken);

    private async Task<bool> DiscoverAsync(string alias, bool force, bool reactToPrimaryFailure, CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        var now = _time.GetUtcNow();
        if (_state.IsForgotten(alias, now))
        {
            _logger.PollSkippedForgotten(alias);
            return false;
        }
        if (!force)
        {
            if (!MarkRecentlyDiscovered(alias, now))
            {
                _logger.PollSkippedRecent(alias, Settings.PollDueAge);
                return false;
            }
            if (_state.TryGetObservation(alias) is { } stored && stored.LastCheckSucceeded
                && now - stored.LastChecked < Settings.PollDueAge)
            {
                _logger.PollSkippedUpToDate(alias, stored.LastChecked);
                return false;
            }
        }

        var before = _state.TryGetObservation(alias);
        var started = _time.GetTimestamp();
        _metrics.CountDiscoveryAttempt();
        var timings = new PollTimings();
        var (ok, tablet, error) = await PollAsync(alias, timings, timeout ?? Settings.RemoteOperationTimeout, cancellationToken).ConfigureAwait(false);
        // After the outcome is stored: a shard analysed in between would read the tablet as never reached.
        _state.EndFirstPoll(alias);
        var took = _time.GetElapsedTime(started);
        _metrics.ObserveInstanceTiming("Backend", timings.Backend);
        _metrics.ObserveInstanceTiming("Instance", timings.Instance);
        _metrics.ObserveInstanceTiming("Other", took - timings.Backend - timings.Instance);
        if (took > Settings.InstancePollTime)
        {
            _metrics.CountInstancePollSecondsExceeded();
            _logger.PollSlow(alias, took, Settings.InstancePollTime);
        }
        if (ok)
        {
            return true;
        }

        _metrics.CountDiscoveryFailure();
        if (tablet is not null && tablet.Type == TabletType.Primary)
        {
            // React when the primary stops answering (or was never reached), not on every poll of a dead primary:
            // the regular polls and analysis ticks cover it from then on.
            bool newlyFailed = before is null || before.LastCheckSucceeded;
            if (newlyFailed)
            {
                _logger.PrimaryPollFailed(tablet, error);
            }
            else
            {
                _logger.PrimaryPollFailedAgain(tablet, error);
            }
            if (reactToPrimaryFailure && newlyFailed)
            {
                await ReactToPrimaryFailureAsync(tablet, error, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            _logger.PollFailed(alias, error);
        }
        return false;
    }

    /// <summary>
    /// Our addition to VTOrc: a failed primary poll makes the shard's other tablets be polled at once (so the analysis
    /// sees whether the replicas still reach the primary) and asks for an immediate analysis of the shard.
    /// </summary>
    private async Task ReactToPrimaryFailureAsync(TabletRecord primary, string error, CancellationToken cancellationToken)
    {
        var others = _state.TabletsOfShard(primary.Keyspace, primary.Shard).Where(t => t.Alias != primary.Alias).ToArray();
        _logger.PrimaryUnreachableShardRepolled(primary, others.Length, primary.Keyspace, primary.Shard);
        await Task.WhenAll(others.Select(t => DiscoverAsync(t.Alias, force: true, reactToPrimaryFailure: false, cancellationToken)))
            .ConfigureAwait(false);
        RaiseShardNeedsAnalysis(primary, $"poll of primary {primary.Alias} failed: {error}");
    }

    /// <summary>
    /// A tablet's health stream turned unhealthy (docs/reliability.md, "Push detection"): for a PRIMARY, every tablet of
    /// its shard is polled now, as after a failed poll of the primary, and an analysis is asked for; for any other tablet,
    /// that tablet is polled and its shard analysed (a replica that lost its primary may be the last voice the analysis
    /// waits for). The signal itself changes nothing: the polls' results are what the analysis reads. When the primary's
    /// stream was lost (not a reported error), its poll gets <paramref name="lostStreamPollTimeout"/>.
    /// </summary>
    public async Task ReactToHealthSignalAsync(HealthSignal signal, TimeSpan lostStreamPollTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var (alias, reason) = (signal.Alias, signal.Reason);
        if (_state.TryGetTablet(alias) is not { } tablet)
        {
            return;
        }
        if (tablet.Type != TabletType.Primary)
        {
            _logger.HealthStreamTabletRepolled(tablet, reason, tablet.Keyspace, tablet.Shard);
            await DiscoverAsync(alias, force: true, reactToPrimaryFailure: false, cancellationToken).ConfigureAwait(false);
            RaiseShardNeedsAnalysis(tablet, $"health stream of {alias}: {reason}");
            return;
        }

        var others = _state.TabletsOfShard(tablet.Keyspace, tablet.Shard).Where(t => t.Alias != alias).ToArray();
        // A tablet that reported an error is reachable: its poll gets the usual deadline, so a primary that is only slow
        // (heavy load) is not counted as unreachable for it.
        var timeout = signal.StreamLost && lostStreamPollTimeout < Settings.RemoteOperationTimeout
            ? lostStreamPollTimeout
            : Settings.RemoteOperationTimeout;
        _logger.HealthStreamPrimaryRepolled(
            tablet, reason, GoDuration.Format(timeout), others.Length, tablet.Keyspace, tablet.Shard);
        // All at once: the replicas' view is what decides, and a host gone silent would otherwise hold them back until the
        // primary's poll deadline. After a lost stream that deadline is the stream's silence timeout, not the long poll
        // timeout, so a silent host counts as unreachable seconds sooner; a primary that only answers slowly counts as
        // unreachable no longer than until its next poll, and without its replicas' agreement that is no failover.
        await Task.WhenAll(others.Select(t => DiscoverAsync(t.Alias, force: true, reactToPrimaryFailure: false, cancellationToken))
            .Append(DiscoverAsync(alias, force: true, reactToPrimaryFailure: false, cancellationToken, timeout))).ConfigureAwait(false);
        RaiseShardNeedsAnalysis(tablet, $"health stream of primary {alias}: {reason}");
    }

    private void RaiseShardNeedsAnalysis(TabletRecord tablet, string reason)
    {
        try
        {
            ShardNeedsAnalysis?.Invoke(this, new ShardNeedsAnalysisEventArgs(tablet.Keyspace, tablet.Shard, reason));
        }
        catch (Exception e)
        {
            _logger.ShardNeedsAnalysisHandlerFailed(e, tablet.Keyspace, tablet.Shard, e.Message);
        }
    }

    /// <summary><c>ReadTopologyInstanceBufferable</c> (go/vt/vtorc/inst/instance_dao.go) with its
    /// bookkeeping.</summary>
    private async Task<(bool Ok, TabletRecord? Tablet, string Error)> PollAsync(string alias, PollTimings timings, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var tablet = _state.TryGetTablet(alias);
        if (tablet is null)
        {
            RecordFailure(alias, partialSuccess: false, timings);
            return (false, null, "no tablet record");
        }

        // A poll still running after the watchdog delay marks last_attempted_check, which invalidates the check
        // (MarkHangingPolls, from the health tick).
        var running = new RunningPoll(alias, _time.GetTimestamp());
        _running.TryAdd(running, 0);
        try
        {
            return await PollRunningAsync(alias, tablet, timings, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(running, out _);
        }
    }

    /// <summary>
    /// Marks <c>last_attempted_check</c> of every tablet whose poll has been running for
    /// <see cref="DiscoverySettings.HangingPollWatchdog"/> or longer (once per poll). VTOrc arms a timer per poll; here the
    /// health tick looks, so a hanging poll is marked up to one tick later: at fleet size a timer per poll (ten thousand a
    /// second) contended on the process's timer queues.
    /// </summary>
    /// <returns>How many polls were marked.</returns>
    public int MarkHangingPolls()
    {
        var watchdog = Settings.HangingPollWatchdog;
        int marked = 0;
        foreach (var (poll, _) in _running)
        {
            if (poll.Marked || _time.GetElapsedTime(poll.Started) < watchdog)
            {
                continue;
            }
            poll.Marked = true;
            if (_state.UpdateObservation(poll.Alias, o => o?.WithAttemptedCheck(_time.GetUtcNow())) is not null)
            {
                marked++;
                _logger.PollStillRunning(poll.Alias, watchdog);
            }
        }
        return marked;
    }

    private async Task<(bool Ok, TabletRecord? Tablet, string Error)> PollRunningAsync(string alias, TabletRecord tablet, PollTimings timings,
        TimeSpan timeout, CancellationToken cancellationToken)
    {

        if (tablet.Tablet.TabletShutdownTime is not null)
        {
            RecordFailure(alias, partialSuccess: false, timings);
            const string shutDown = "the tablet is shut down (tablet_shutdown_time is set); not polled";
            _state.RecordPollError(alias, shutDown);
            return (false, tablet, shutDown);
        }

        Replicationdata.FullStatus status;
        var rpcStarted = _time.GetTimestamp();
        try
        {
            status = await _client.FullStatusAsync(tablet.Tablet, cancellationToken, timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            timings.Instance = _time.GetElapsedTime(rpcStarted);
            // The primary health window counts failures within the regular deadline, as VTOrc's polls have it. A look cut
            // short (a lost health stream, a probe under the shard lock) may fail on a primary, or a daemon, that is only
            // slow; counted, a burst of such looks on a busy daemon would make healthy primaries IncapacitatedPrimary.
            RecordFailure(alias, partialSuccess: false, timings, tablet, countInHealthWindow: timeout >= Settings.RemoteOperationTimeout);
            _state.RecordPollError(alias, e.Message);
            return (false, tablet, e.Message);
        }
        timings.Instance = _time.GetElapsedTime(rpcStarted);
        if (status.DiskStalled && Settings.EnablePrimaryDiskStalledRecovery)
        {
            // The answer carries nothing but the flag (docs/reliability.md, "A stalled disk"): a failed check that
            // keeps what was last known of the tablet and marks its disk stalled.
            RecordFailure(alias, partialSuccess: false, timings, tablet, diskStalled: true);
            const string stalled = "the tablet reports a stalled disk (FullStatus disk_stalled)";
            _state.RecordPollError(alias, stalled);
            _logger.TabletDiskStalled(tablet);
            return (false, tablet, stalled);
        }
        _metrics.CountInstanceReadTopology();
        _state.ClearPollError(alias);

        var now = _time.GetUtcNow();
        var polled = InstanceObservation.FromFullStatus(status, tablet.Tablet, now);
        var primaryAlias = _state.TryGetShard(tablet.Keyspace, tablet.Shard)?.PrimaryAlias ?? "";
        var withErrant = ErrantGtidDetector.Apply(polled, primaryAlias, _state.ObservationsOfShard(tablet.Keyspace, tablet.Shard));
        var storeStarted = _time.GetTimestamp();
        var stored = _state.UpdateObservation(alias, previous => WithPrimaryHealth(withErrant, previous, tablet, now, success: true));
        timings.Backend = _time.GetElapsedTime(storeStarted);
        if (stored is null)
        {
            _logger.PollResultDropped(alias);
            return (false, tablet, "forgotten while polling");
        }
        if (withErrant.GtidErrantCount > 0)
        {
            _logger.ErrantGtidsFound(tablet, withErrant.GtidErrant);
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // Checked first: the arguments (an array, boxed values) would otherwise be built on every poll of the fleet.
            _logger.TabletPolled(tablet, withErrant.CurrentTabletType, withErrant.SourceHost, withErrant.SourcePort);
        }
        return (true, tablet, "");
    }

    /// <param name="polled">The tablet whose FullStatus failed; null when it was not asked (no record, shut down).</param>
    /// <param name="countInHealthWindow">False: the failure is not added to the primary health window.</param>
    private void RecordFailure(string alias, bool partialSuccess, PollTimings timings, TabletRecord? polled = null, bool diskStalled = false,
        bool countInHealthWindow = true)
    {
        // last_seen is left alone; a tablet never reached keeps no observation at all ("invalid").
        var now = _time.GetUtcNow();
        var storeStarted = _time.GetTimestamp();
        _state.UpdateObservation(alias, o => o is null ? null
            : polled is null || !countInHealthWindow ? o.WithFailedCheck(now, partialSuccess, diskStalled)
            : WithPrimaryHealth(o.WithFailedCheck(now, partialSuccess, diskStalled), o, polled, now, success: false));
        timings.Backend += _time.GetElapsedTime(storeStarted);
    }

    /// <summary>
    /// The primary health window (go/vt/vtorc/inst/primary_health.go): a poll of a tablet recorded as PRIMARY adds its
    /// outcome; other tablets keep what they had (it ages out).
    /// </summary>
    private InstanceObservation WithPrimaryHealth(InstanceObservation updated, InstanceObservation? previous, TabletRecord tablet,
        DateTimeOffset now, bool success)
    {
        var window = previous?.PrimaryHealth ?? PrimaryHealthWindow.Empty;
        if (tablet.Type == TabletType.Primary)
        {
            var recorded = window.Record(now, success, PrimaryHealthWindow.LengthFor(_settings.RemoteOperationTimeout));
            if (recorded.Unhealthy != window.Unhealthy)
            {
                _logger.PrimaryPollHealthChanged(tablet, recorded.Unhealthy ? "unhealthy" : "healthy", recorded);
            }
            window = recorded;
        }
        return ReferenceEquals(updated.PrimaryHealth, window) ? updated : updated with { PrimaryHealth = window };
    }

    private bool MarkRecentlyDiscovered(string alias, DateTimeOffset now)
    {
        // Until the earliest time the health tick may find the tablet due again (its check ends after now).
        var until = now + Settings.PollDueAge;
        while (true)
        {
            if (!_recentUntil.TryGetValue(alias, out var current))
            {
                if (_recentUntil.TryAdd(alias, until))
                {
                    return true;
                }
            }
            else if (now < current)
            {
                return false;
            }
            else if (_recentUntil.TryUpdate(alias, until, current))
            {
                return true;
            }
        }
    }

    /// <summary>Drops expired entries of the recent-poll cache (from the health tick, not from every poll).</summary>
    private void ExpireRecentlyDiscovered(DateTimeOffset now)
    {
        if (_recentUntil.Count <= 2 * Math.Max(1, _state.TabletCount) + 64)
        {
            return;
        }
        foreach (var (alias, until) in _recentUntil)
        {
            if (until <= now)
            {
                _recentUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(alias, until));
            }
        }
    }

    private async Task WorkerLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            string alias;
            try
            {
                alias = await Queue.ConsumeAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // The gauges are published by the health tick: setting them here cost a labelled-metric update per poll.
            Interlocked.Increment(ref _workersActive);
            try
            {
                await DiscoverAsync(alias, force: false, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.DiscoveryFailed(e, alias, e.Message);
            }
            finally
            {
                Queue.Release(alias);
                Interlocked.Decrement(ref _workersActive);
            }
        }
    }

    private void HealthTick()
    {
        EnqueueOutdated();
        MarkHangingPolls();
        _metrics.SetQueueLength(Queue.Count);
        _metrics.SetWorkersActive(Volatile.Read(ref _workersActive));
        ExpireRecentlyDiscovered(_time.GetUtcNow());
    }

    /// <summary>A poll in flight, for <see cref="MarkHangingPolls"/> (compared by reference).</summary>
    private sealed class RunningPoll(string alias, long started)
    {
        public string Alias { get; } = alias;

        public long Started { get; } = started;

        public bool Marked { get; set; }
    }

    /// <summary>Where one poll's time went (<c>DiscoveryInstanceTimings</c>); "Other" is the remainder.</summary>
    private sealed class PollTimings
    {
        public TimeSpan Instance { get; set; }

        public TimeSpan Backend { get; set; }
    }

    public async ValueTask DisposeAsync()
    {
        BackgroundLoop[] loops;
        lock (_loops)
        {
            loops = [.. _loops];
        }
        await Task.WhenAll(loops.Select(l => l.StopAsync())).ConfigureAwait(false);
    }
}
