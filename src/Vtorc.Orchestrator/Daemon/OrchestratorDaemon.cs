using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The running orchestrator (go/vt/vtorc/logic/vtorc.go, go/cmd/vtorc/cli/cli.go): discovery (topo refresh + FullStatus
/// polling), the recovery tick (analyse every watched shard, record what changed, recover), the caretaking tick
/// (retention) and shutdown. The HTTP surface reads its state through the members below; it owns no thread of its own.
/// </summary>
public sealed class OrchestratorDaemon : IAsyncDisposable
{
    private readonly TopoServer _topo;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecoveryScheduler _scheduler;
    private readonly RecoveryWakeSignal _wake = new();
    // Stopping happens in two steps: no new tick starts once _stopping is cancelled; work still running is cancelled
    // through _abort only after the shutdown wait, so a recovery in progress can finish and be recorded (as closeVTOrc
    // in go/vt/vtorc/logic/vtorc.go).
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _loops = [];
    private readonly ShardAnalysisLog _analysisLog;
    private readonly SemaphoreSlim _shutdownGate = new(1, 1);
    private readonly object _settingsGate = new();
    private bool _stopped;
    private volatile bool _shutdownRequested;
    private long _recoveryTicks;
    private long _auditWritesCounted;
    private long _changelogWritesCounted;

    private OrchestratorDaemon(TopoServer topo, ITabletManagerClient tablets, ITabletHealthStreams? healthStreams, OrchestratorOptions options,
        HistoryStore store, VtorcMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        _topo = topo;
        _time = time;
        _logger = loggers.CreateLogger<OrchestratorDaemon>();
        Metrics = metrics;
        _analysisLog = new ShardAnalysisLog(_logger);
        _options = options;
        Store = store;
        Policies = DurabilityPolicyRegistry.CreateDefault();
        State = new DiscoveryState(options.Discovery.ForgetTtl);
        Watch = ClustersToWatch.Parse(options.ClustersToWatch);
        Refresher = new TopologyRefresher(topo, State, Watch, options.Discovery, time, metrics, loggers.CreateLogger<TopologyRefresher>());
        Watcher = options.TopologyWatch.Enabled
            ? new TopologyWatcher(topo, Refresher, options.TopologyWatch, options.Discovery, loggers.CreateLogger<TopologyWatcher>())
            : null;
        Poller = new InstancePoller(tablets, State, options.Discovery, time, metrics, loggers.CreateLogger<InstancePoller>());
        HealthStreams = options.HealthStream.Enabled && healthStreams is not null
            ? new HealthStreamListener(healthStreams, State, options.HealthStream,
                (signal, token) => Poller.ReactToHealthSignalAsync(signal, options.HealthStream.SilenceTimeout, token), metrics,
                loggers.CreateLogger<HealthStreamListener>(), time)
            : null;
        var source = new DiscoveryShardStateSource(State, Refresher, Poller, Policies);
        Pipeline = new RecoveryPipeline(topo, source, new StoreRecoveryHistory(store), metrics,
            RecoveryActions.CreateDefault(topo, tablets, Policies, time), options.Recovery, time, loggers.CreateLogger<RecoveryPipeline>());
        Outcomes = new LastRecoveryOutcomes(Pipeline, time);
        _scheduler = new RecoveryScheduler(Outcomes, metrics, loggers.CreateLogger<RecoveryScheduler>(), options.MaxConcurrentRecoveries,
            _time, () => Options.RecoveryPollDuration);

        Refresher.TabletChanged += tablet => Poller.Enqueue(tablet.Alias);
        Refresher.TabletForgotten += OnTabletForgotten;
        Poller.ShardNeedsAnalysis += OnShardNeedsAnalysis;
        _scheduler.ShardFreedWithProblemsWaiting += shard =>
        {
            _logger.LogDebug("Analysing now instead of at the next tick: the recovery of {Keyspace}/{Shard} ended while problems of it waited",
                shard.Keyspace, shard.Shard);
            _wake.Set();
        };
    }

    private OrchestratorOptions _options = null!;

    /// <summary>The options in force: those the daemon started with, with the dynamic settings as last applied by
    /// <see cref="ApplyDynamicSettings"/>.</summary>
    public OrchestratorOptions Options
    {
        get => Volatile.Read(ref _options);
        private set => Volatile.Write(ref _options, value);
    }

    /// <summary>
    /// Takes over the settings VTOrc treats as dynamic (the viper values registered with <c>Dynamic: true</c> in
    /// go/vt/vtorc/config/config.go) from <paramref name="updated"/> while running: the instance poll time, the disk-stall switch, the topo
    /// refresh and recovery tick periods, the reparent and analysis settings (<see cref="RecoverySettings"/>),
    /// <c>--audit-to-backend</c> and <c>--audit-purge-duration</c>. Every other value of <paramref name="updated"/> is
    /// ignored: it is fixed at start, as in VTOrc. Each part reads its new value from its next tick, poll or recovery.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range; nothing is applied.</exception>
    public void ApplyDynamicSettings(OrchestratorOptions updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        lock (_settingsGate)
        {
            var current = Options;
            var next = current with
            {
                Discovery = current.Discovery with
                {
                    InstancePollTime = updated.Discovery.InstancePollTime,
                    TopoInformationRefreshDuration = updated.Discovery.TopoInformationRefreshDuration,
                    EnablePrimaryDiskStalledRecovery = updated.Discovery.EnablePrimaryDiskStalledRecovery,
                },
                // Timeouts that are not dynamic in VTOrc stay as started.
                Recovery = updated.Recovery with
                {
                    RemoteOperationTimeout = current.Recovery.RemoteOperationTimeout,
                    ReplicaSettleTimeout = current.Recovery.ReplicaSettleTimeout,
                },
                Store = current.Store with { AuditToBackend = updated.Store.AuditToBackend },
                RecoveryPollDuration = updated.RecoveryPollDuration,
                AuditPurgeDuration = updated.AuditPurgeDuration,
            };
            next.Validate();
            Poller.Settings = Poller.Settings with
            {
                InstancePollTime = next.Discovery.InstancePollTime,
                EnablePrimaryDiskStalledRecovery = next.Discovery.EnablePrimaryDiskStalledRecovery,
            };
            Refresher.Settings = Refresher.Settings with { TopoInformationRefreshDuration = next.Discovery.TopoInformationRefreshDuration };
            Pipeline.Settings = next.Recovery;
            Store.AuditTrail.ToBackend = next.Store.AuditToBackend;
            Options = next;
        }
        // A shorter recovery tick applies now rather than after the longer wait already begun.
        _wake.Set();
    }

    /// <summary>VTOrc's stats (/metrics, /debug/vars).</summary>
    public VtorcMetrics Metrics { get; }

    public HistoryStore Store { get; }

    public DiscoveryState State { get; }

    public DurabilityPolicyRegistry Policies { get; }

    public ClustersToWatch Watch { get; }

    public TopologyRefresher Refresher { get; }

    /// <summary>The etcd watches of keyspace, shard and tablet records; null with <c>--watch-topology=false</c>.</summary>
    public TopologyWatcher? Watcher { get; }

    public InstancePoller Poller { get; }

    /// <summary>The subscriptions to the tablets' health streams; null with <c>--tablet-health-stream=false</c> or a
    /// tablet client that cannot stream.</summary>
    public HealthStreamListener? HealthStreams { get; }

    public RecoveryPipeline Pipeline { get; }

    /// <summary>What the latest recovery attempt of each current problem came to (the status page shows it).</summary>
    public LastRecoveryOutcomes Outcomes { get; }

    public TimeProvider Time => _time;

    /// <summary>The first complete topo refresh has happened (what <c>/debug/health</c> waits for).</summary>
    public bool DiscoveredOnce => State.FirstDiscoveryCycleComplete;

    /// <summary>Recovery ticks completed so far (tests and the status page use it to know the daemon is working). A tick
    /// analyses and dispatches; it does not wait for the recoveries it started.</summary>
    public long RecoveryTicks => Interlocked.Read(ref _recoveryTicks);

    /// <summary>Shards whose recovery this daemon started and that have not finished (running or waiting for a
    /// <c>--max-concurrent-recoveries</c> slot).</summary>
    public int ShardsRecoveringOrQueued => _scheduler.ShardsInFlight;

    /// <summary>When this daemon started.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>
    /// Opens the history store, applies <c>--allow-recovery</c>, starts polling, runs the first topo refresh
    /// (bounded by the remote operation timeout; a failure is logged, not fatal, as in VTOrc) and starts the ticks.
    /// </summary>
    /// <param name="healthStreams">Where the tablets' health streams come from; by default <paramref name="tablets"/> when it
    /// can stream (tests pass a wrapper that breaks streams on demand).</param>
    /// <exception cref="StoreOpenException">The SQLite file cannot be opened; the message names it.</exception>
    public static async Task<OrchestratorDaemon> StartAsync(TopoServer topo, ITabletManagerClient tablets, OrchestratorOptions options,
        VtorcMetrics metrics, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken,
        ITabletHealthStreams? healthStreams = null)
    {
        ArgumentNullException.ThrowIfNull(topo);
        ArgumentNullException.ThrowIfNull(tablets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();

        var store = await HistoryStore.OpenAsync(options.Store with { RecoveryPollDuration = options.RecoveryPollDuration },
            loggers.CreateLogger<HistoryStore>(), cancellationToken).ConfigureAwait(false);
        OrchestratorDaemon daemon;
        try
        {
            daemon = new OrchestratorDaemon(topo, tablets, healthStreams ?? tablets as ITabletHealthStreams, options, store, metrics, loggers, time);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            await daemon.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await daemon.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return daemon;
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        StartedAt = _time.GetUtcNow();
        _logger.LogInformation(
            "VTOrc starting: watching {Watch}; poll every {Poll}, topo refresh every {Refresh}, recovery tick every {Recovery}; " +
            "history in {Store}; emergency reparent {Ers}; anti-flapping block {Block}",
            Options.ClustersToWatch.Length == 0 ? "all keyspaces" : $"\"{Options.ClustersToWatch}\"", GoDuration.Format(Options.Discovery.InstancePollTime),
            GoDuration.Format(Options.Discovery.TopoInformationRefreshDuration), GoDuration.Format(Options.RecoveryPollDuration), Store.Location,
            Options.Recovery.AllowEmergencyReparent ? "allowed" : "not allowed", GoDuration.Format(Options.Recovery.RecoveryPeriodBlockDuration));

        if (!Options.AllowRecovery)
        {
            // VTOrc refuses to run discovery when it cannot record this: recovering against the operator's wish is worse.
            await Store.DisableGlobalRecoveriesAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogWarning("Recoveries are disabled (--allow-recovery=false): problems are detected and shown, not repaired, " +
                "until enabled through /api/enable-global-recoveries");
        }
        else if (await Store.IsGlobalRecoveryDisabledAsync(cancellationToken).ConfigureAwait(false))
        {
            _logger.LogWarning("Recoveries are disabled: the history file {Store} remembers an earlier disable; " +
                "enable them through /api/enable-global-recoveries", Store.Location);
        }

        await CheckCellAsync(cancellationToken).ConfigureAwait(false);
        Poller.Start();

        if (Watcher is not null)
        {
            // The revisions noted before the first refresh are where the watches start: nothing falls in between.
            await Watcher.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        using (var first = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            first.CancelAfter(Options.Discovery.RemoteOperationTimeout);
            try
            {
                bool complete = await Refresher.RefreshAllAsync(first.Token).ConfigureAwait(false);
                _logger.LogInformation("Initial topo refresh {Outcome}: {Tablets} tablets in {Shards} shards",
                    complete ? "complete" : "partial (will retry at the next topo tick)", State.Tablets.Count, State.Shards.Count);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("Initial topo refresh did not finish within {Timeout}; continuing with the topo ticks",
                    Options.Discovery.RemoteOperationTimeout);
            }
            catch (Exception e) when (e is TopoException or Protocol.Etcd.EtcdException)
            {
                _logger.LogWarning("Initial topo refresh failed: {Error}; continuing with the topo ticks", e.Message);
            }
        }

        // After the first refresh, so the first reconcile opens the streams of every tablet known by then.
        HealthStreams?.Start();
        if (HealthStreams is null)
        {
            _logger.LogInformation("Not listening to tablets' health streams ({Why}): failures are detected by polling alone",
                Options.HealthStream.Enabled ? "the tablet client cannot stream" : "--tablet-health-stream=false");
        }

        var stopping = _stopping.Token;
        var abort = _abort.Token;
        _loops.Add(Task.Run(() => Refresher.RunTicksAsync(stopping)));
        if (Watcher is { } watcher)
        {
            _loops.Add(Task.Run(() => watcher.RunAsync(stopping)));
        }
        _loops.Add(Task.Run(() => RecoveryLoopAsync(stopping, abort)));
        _loops.Add(Task.Run(() => CaretakingLoopAsync(stopping)));
        _loops.Add(Task.Run(() => GaugeLoopAsync(stopping)));
    }

    private async Task CheckCellAsync(CancellationToken cancellationToken)
    {
        if (Options.Cell.Length == 0)
        {
            return;
        }
        try
        {
            var cells = await _topo.GetCellNamesAsync(cancellationToken).ConfigureAwait(false);
            if (!cells.Contains(Options.Cell))
            {
                _logger.LogWarning("--cell \"{Cell}\" is not a cell of the topology (cells: {Cells})", Options.Cell, string.Join(", ", cells));
            }
        }
        catch (Exception e) when (e is TopoException or Protocol.Etcd.EtcdException)
        {
            _logger.LogWarning("Could not check --cell \"{Cell}\" against the topology: {Error}", Options.Cell, e.Message);
        }
    }

    // ---- the recovery tick ----

    /// <summary>Asks for an analysis pass now instead of at the next tick.</summary>
    public void RequestAnalysis() => _wake.Set();

    private async Task RecoveryLoopAsync(CancellationToken stopping, CancellationToken abort)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                bool woken = await _wake.WaitAsync(Options.RecoveryPollDuration, stopping).ConfigureAwait(false);
                if (woken)
                {
                    _logger.LogDebug("Recovery tick started early: a shard needs analysis");
                }
                try
                {
                    await RunRecoveryTickAsync(abort).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // One broken tick must not end detection: log it and try again at the next one.
                    _logger.LogError(e, "Recovery tick failed unexpectedly; continuing at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One <c>CheckAndRecover</c>: analyses every known shard from one consistent view of the state, writes the
    /// changelog for what changed, then starts the recoveries of the shards that have none in flight and returns
    /// without waiting for them (CheckAndRecover in go/vt/vtorc/logic/topology_recovery.go; docs/reliability.md,
    /// "Recoveries of different shards do not wait for each other"). The recoveries run with
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task RunRecoveryTickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var settings = Pipeline.Settings;
        var passStarted = _time.GetTimestamp();
        var results = DetectionAnalyzer.AnalyzeAll(State.Snapshots(Policies), settings.Analysis, now);
        var passTook = _time.GetElapsedTime(passStarted);
        Metrics.ObserveAnalysisPass(passTook);
        _logger.LogDebug("Analysis pass over {Shards} shards took {Milliseconds:F2} ms", results.Count, passTook.TotalMilliseconds);
        _analysisLog.Observe(results);

        var problems = new List<DetectionAnalysis>();
        foreach (var result in results)
        {
            foreach (var analysis in result.Analyses)
            {
                if (analysis.Analysis != AnalysisCodes.NoProblem)
                {
                    problems.Add(analysis);
                }
            }
        }
        foreach (var analysis in problems)
        {
            await Store.RecordAnalysisChangeAsync(analysis.AnalyzedInstanceAlias, analysis.Analysis, now, cancellationToken).ConfigureAwait(false);
        }

        Outcomes.KeepOnly(problems);
        var dispatch = _scheduler.Dispatch(problems, cancellationToken);
        if (dispatch.ShardsStarted > 0 || dispatch.ShardsSkipped > 0)
        {
            _logger.LogDebug("Recovery tick: started the recoveries of {Started} shard(s); {Skipped} shard(s) still have one in flight; "
                + "{Recovering} recovering, {Queued} waiting for a slot", dispatch.ShardsStarted, dispatch.ShardsSkipped,
                _scheduler.ShardsRecovering, Math.Max(0, _scheduler.ShardsInFlight - _scheduler.ShardsRecovering));
        }
        Interlocked.Increment(ref _recoveryTicks);
    }

    // ---- queries for the API and the status page ----

    /// <summary>
    /// Snapshots of every known shard, optionally filtered (shard requires keyspace). Only the requested shards are
    /// built: a query for one shard costs that shard, not the fleet.
    /// </summary>
    public IReadOnlyList<ShardSnapshot> Snapshots(string? keyspace = null, string? shard = null)
    {
        if (string.IsNullOrEmpty(keyspace))
        {
            return State.Snapshots(Policies);
        }
        if (string.IsNullOrEmpty(shard))
        {
            return State.Snapshots(Policies, keyspace);
        }
        return State.Snapshot(keyspace, shard, Policies) is { } one ? [one] : [];
    }

    /// <summary>The analysis of the filtered shards right now, problems only (the <c>/api/detection-analysis</c> rows).</summary>
    public IReadOnlyList<DetectionAnalysis> CurrentProblems(string? keyspace = null, string? shard = null)
    {
        var results = DetectionAnalyzer.AnalyzeAll(Snapshots(keyspace, shard), Pipeline.Settings.Analysis, _time.GetUtcNow());
        return [.. results.SelectMany(r => r.Analyses).Where(a => a.Analysis != AnalysisCodes.NoProblem)];
    }

    /// <summary>The analysis of every filtered shard right now, including skipped shards and NoProblem rows.</summary>
    public IReadOnlyList<ShardAnalysisResult> CurrentAnalysis(string? keyspace = null, string? shard = null) =>
        DetectionAnalyzer.AnalyzeAll(Snapshots(keyspace, shard), Pipeline.Settings.Analysis, _time.GetUtcNow());

    /// <summary><c>/api/disable-global-recoveries</c>: recorded in the store (kept across restarts with a file-backed store).</summary>
    public async Task DisableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken)
    {
        await Store.DisableGlobalRecoveriesAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogWarning("Recoveries disabled globally (requested by {Who}): problems are detected, not repaired", requestedBy);
    }

    /// <summary><c>/api/enable-global-recoveries</c>.</summary>
    public async Task EnableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken)
    {
        await Store.EnableGlobalRecoveriesAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogWarning("Recoveries enabled globally (requested by {Who})", requestedBy);
        RequestAnalysis();
    }

    // ---- events from discovery ----

    private void OnTabletForgotten(TabletRecord tablet)
    {
        _ = AuditInBackgroundAsync("forget", tablet.Alias, tablet.Keyspace, tablet.Shard, "Forgotten: the tablet is no longer in the topology");
    }

    private void OnShardNeedsAnalysis(object? sender, ShardNeedsAnalysisEventArgs e)
    {
        _logger.LogInformation("Analysing {Keyspace}/{Shard} now instead of at the next tick: {Reason}", e.Keyspace, e.Shard, e.Reason);
        _wake.Set();
    }

    private async Task AuditInBackgroundAsync(string type, string alias, string keyspace, string shard, string message)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Store.AuditAsync(type, alias, keyspace, shard, message, _time.GetUtcNow(), deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or StoreException)
        {
            _logger.LogWarning("Could not write the {Type} audit entry for {Alias}: {Error}", type, alias, e.Message);
        }
    }

    // ---- caretaking ----

    private async Task CaretakingLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Options.CaretakingInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    var expired = await Store.ExpireAsync(_time.GetUtcNow(), Options.AuditPurgeDuration, stopping).ConfigureAwait(false);
                    _logger.LogDebug("Caretaking: {Expired}", expired);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogError(e, "Caretaking tick failed; retrying at the next one");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    // ---- gauges ----

    private async Task GaugeLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Options.GaugeInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                UpdateGauges();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The stats that summarise the in-memory state rather than count events (VTOrc's 1 s metrics tick).</summary>
    public void UpdateGauges()
    {
        var tablets = State.Tablets;
        Metrics.SetTabletsWatchedByShard(tablets.GroupBy(t => (t.Keyspace, t.Shard)).ToDictionary(g => g.Key, g => g.Count()));
        var errant = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tablet in tablets)
        {
            if (State.TryGetObservation(tablet.Alias) is { GtidErrantCount: > 0 } observation)
            {
                errant[tablet.Alias] = (int)Math.Min(observation.GtidErrantCount, int.MaxValue);
            }
        }
        Metrics.SetErrantGtidCounts(errant);
        Metrics.SetEmergencyReparentShardDisabled([.. State.Shards
            .Where(s => s.EmergencyReparentDisabled || State.TryGetKeyspace(s.Keyspace)?.EmergencyReparentDisabled == true)
            .Select(s => (s.Keyspace, s.Shard))]);
        Metrics.SetDiscoveriesRecentCount(Poller.RecentDiscoveryCount);
        // The store counts its own writes; the stats are counters, so only what happened since the last tick is added.
        long audits = Store.AuditTrail.AuditWrites, changes = Store.Changelog.AnalysisChangeWrites;
        Metrics.CountAuditWrite(audits - Interlocked.Exchange(ref _auditWritesCounted, audits));
        Metrics.CountAnalysisChangeWrite(changes - Interlocked.Exchange(ref _changelogWritesCounted, changes));
    }

    // ---- shutdown ----

    /// <summary>Whether <see cref="ShutdownAsync"/> has been called (it may still be waiting for recoveries, or be done).</summary>
    public bool IsShuttingDown => _shutdownRequested;

    /// <summary>
    /// SIGTERM (closeVTOrc in go/vt/vtorc/logic/vtorc.go): no new shard lock from now on, audit <c>shutdown</c>, wait
    /// for the held shard locks to be released (at most <c>--shutdown-wait-time</c>), then stop the ticks and the
    /// polling and close the store. The topo server belongs to the caller.
    /// </summary>
    public async Task ShutdownAsync(string reason = "Triggered via SIGTERM")
    {
        _shutdownRequested = true;
        await _shutdownGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            Pipeline.BeginShutdown();
            await AuditInBackgroundAsync("shutdown", "", "", "", reason).ConfigureAwait(false);
            await WaitForShardLocksAsync().ConfigureAwait(false);

            await _stopping.CancelAsync().ConfigureAwait(false);
            // The recoveries the ticks started are not part of the loops: wait for them as for the loops.
            var loops = Task.WhenAll(_loops.Append(_scheduler.WhenInFlightDoneAsync()));
            if (await Task.WhenAny(loops, Task.Delay(Options.ShutdownWaitTime, _time)).ConfigureAwait(false) != loops)
            {
                _logger.LogWarning("Shutdown: the recovery tick or {Shards} shard recovery(ies) still run after {Wait}; cancelling them",
                    _scheduler.ShardsInFlight, Options.ShutdownWaitTime);
            }
            await _abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await loops.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogError(e, "A background loop ended with an error during shutdown");
            }
            catch (OperationCanceledException)
            {
            }
            // A tick that was under way when stopping began may have started recoveries after the wait above; they
            // run cancelled now and end before the store closes. The scheduler's tasks never fault.
            await _scheduler.WhenInFlightDoneAsync().ConfigureAwait(false);
            if (HealthStreams is not null)
            {
                await HealthStreams.DisposeAsync().ConfigureAwait(false);
            }
            await Poller.DisposeAsync().ConfigureAwait(false);
            await Store.DisposeAsync().ConfigureAwait(false);
            _logger.LogInformation("VTOrc stopped");
        }
        finally
        {
            _shutdownGate.Release();
        }
    }

    private async Task WaitForShardLocksAsync()
    {
        if (Pipeline.ShardLocksHeld == 0)
        {
            return;
        }
        _logger.LogInformation("Shutdown: waiting up to {Wait} for {Locks} shard lock(s) held by running recoveries",
            Options.ShutdownWaitTime, Pipeline.ShardLocksHeld);
        var deadline = _time.GetUtcNow() + Options.ShutdownWaitTime;
        while (Pipeline.ShardLocksHeld > 0)
        {
            if (_time.GetUtcNow() >= deadline)
            {
                _logger.LogWarning("Shutdown: {Locks} shard lock(s) still held after {Wait}; stopping anyway",
                    Pipeline.ShardLocksHeld, Options.ShutdownWaitTime);
                return;
            }
            // VTOrc polls the lock count every 50 ms too; the count has no event to wait on.
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time).ConfigureAwait(false);
        }
        _logger.LogInformation("Shutdown: every shard lock released");
    }

    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync("Stopped").ConfigureAwait(false);
        _stopping.Dispose();
        _abort.Dispose();
    }
}
