using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Protocol.Background;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The running orchestrator (go/vt/vtorc/logic/vtorc.go, go/cmd/vtorc/cli/cli.go), as a composition root: it builds
/// discovery (topo refresh and watches, FullStatus polling, health streams), the recovery side (pipeline, scheduler)
/// and the loops that drive them — <see cref="RecoveryLoop"/>, <see cref="CaretakingLoop"/>, <see cref="GaugeLoop"/>
/// and the refresher's and watcher's own — starts them in order, applies dynamic settings and shuts them down. The
/// HTTP surface reads its state through <see cref="Queries"/> and changes it only through <see cref="Actions"/>; it
/// owns no thread of its own.
/// </summary>
public sealed class OrchestratorDaemon : IAsyncDisposable
{
    private readonly TopoServer _topo;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecoveryScheduler _scheduler;
    private readonly OptionsInForce _options;
    private readonly DaemonLifecycle _lifecycle = new();
    private readonly RecoveryLoop _recoveryLoop;
    private readonly CaretakingLoop _caretakingLoop;
    private readonly GaugeLoop _gaugeLoop;
    private readonly BestEffortAudit _audit;
    private readonly OrchestratorQueries _queries;
    private readonly OperatorReparents _operatorReparents;
    // Stopping happens in two steps: no new tick starts once the loops are stopped; work still running is cancelled
    // through _abort only after the shutdown wait, so a recovery in progress can finish and be recorded (as closeVTOrc
    // in go/vt/vtorc/logic/vtorc.go).
    private readonly CancellationTokenSource _abort = new();
    private readonly List<BackgroundLoop> _loops = [];
    private readonly SemaphoreSlim _shutdownGate = new(1, 1);
    private bool _stopped;

    private OrchestratorDaemon(TopoServer topo, ITabletManagerClient tablets, ITabletHealthStreams? healthStreams, OrchestratorOptions options,
        HistoryStore store, VtorcMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        _topo = topo;
        _time = time;
        // The loops, the audit and the API's switches log under this one category, which operators' log filters name.
        _logger = loggers.CreateLogger<OrchestratorDaemon>();
        Metrics = metrics;
        Store = store;
        Policies = DurabilityPolicyRegistry.CreateDefault();

        // Discovery.
        State = new DiscoveryState(options.Discovery.ForgetTtl);
        var watch = ClustersToWatch.Parse(options.ClustersToWatch);
        Refresher = new TopologyRefresher(topo, State, watch, options.Discovery, time, metrics, loggers.CreateLogger<TopologyRefresher>());
        Watcher = options.TopologyWatch.Enabled
            ? new TopologyWatcher(topo, Refresher, options.TopologyWatch, options.Discovery, loggers.CreateLogger<TopologyWatcher>())
            : null;
        Poller = new InstancePoller(tablets, State, options.Discovery, time, metrics, loggers.CreateLogger<InstancePoller>());
        HealthStreams = options.HealthStream.Enabled && healthStreams is not null
            ? new HealthStreamListener(healthStreams, State, options.HealthStream,
                (signal, token) => Poller.ReactToHealthSignalAsync(signal, options.HealthStream.SilenceTimeout, token), metrics,
                loggers.CreateLogger<HealthStreamListener>(), time)
            : null;

        // Recovery, which reads discovery only through these two interfaces.
        var source = new DiscoveryShardStateSource(State, Refresher, Poller, Policies);
        IShardStateSource shardState = source;
        IShardSnapshots shards = source;
        Pipeline = new RecoveryPipeline(topo, shardState, new StoreRecoveryHistory(store), metrics,
            RecoveryActions.CreateDefault(topo, tablets, Policies, time), options.Recovery, time, loggers.CreateLogger<RecoveryPipeline>());
        Outcomes = new LastRecoveryOutcomes(Pipeline, time);
        _options = new OptionsInForce(options, Poller, Refresher, Pipeline, store);
        _scheduler = new RecoveryScheduler(Outcomes, metrics, loggers.CreateLogger<RecoveryScheduler>(), options.MaxConcurrentRecoveries,
            _time, () => Options.RecoveryPollDuration);

        // The loops.
        var latestAnalysis = new LatestFleetAnalysis();
        _recoveryLoop = new RecoveryLoop(shards, Pipeline, Outcomes, _scheduler, store, metrics, () => Options.RecoveryPollDuration, time, _logger,
            latestAnalysis);
        _caretakingLoop = new CaretakingLoop(store, () => Options.AuditPurgeDuration, time, _logger);
        _gaugeLoop = new GaugeLoop(State, Poller, store, metrics);
        _audit = new BestEffortAudit(store, time, _logger);

        // What the HTTP surface sees.
        var operatorReparentRevisions = new OperatorReparentRevisions();
        _queries = new OrchestratorQueries(shards, State, Pipeline, Outcomes, store, _options, _lifecycle, operatorReparentRevisions, time, latestAnalysis);
        _operatorReparents = new OperatorReparents(topo, tablets, Policies, Pipeline, store.OperatorReparents, operatorReparentRevisions, _audit,
            _lifecycle, time, _logger, _abort.Token);
        Actions = new OrchestratorActions(store, _recoveryLoop, _operatorReparents, _audit, time, _logger);

        Refresher.TabletChanged += tablet => Poller.Enqueue(tablet.Alias);
        Refresher.TabletForgotten += tablet =>
            _ = _audit.WriteAsync("forget", tablet.Alias, tablet.Keyspace, tablet.Shard, "Forgotten: the tablet is no longer in the topology");
        Poller.ShardNeedsAnalysis += (_, e) => _recoveryLoop.AnalyseSoon(e.Keyspace, e.Shard, e.Reason);
    }

    /// <summary>The options in force: those the daemon started with, with the dynamic settings as last applied by
    /// <see cref="ApplyDynamicSettings"/>.</summary>
    public OrchestratorOptions Options => _options.Current;

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
        _options.Apply(updated);
        // A shorter recovery tick applies now rather than after the longer wait already begun.
        _recoveryLoop.RequestAnalysis();
    }

    /// <summary>What the HTTP pages may read.</summary>
    public IOrchestratorQueries Queries => _queries;

    /// <summary>What the HTTP API may change (the ADMIN endpoints).</summary>
    public IOrchestratorActions Actions { get; }

    /// <summary>VTOrc's stats (/metrics, /debug/vars).</summary>
    public VtorcMetrics Metrics { get; }

    public HistoryStore Store { get; }

    public DiscoveryState State { get; }

    public DurabilityPolicyRegistry Policies { get; }

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

    /// <summary>Recovery ticks completed so far (tests and the status page use it to know the daemon is working). A tick
    /// analyses and dispatches; it does not wait for the recoveries it started.</summary>
    public long RecoveryTicks => _recoveryLoop.Ticks;

    /// <summary>Shards whose recovery this daemon started and that have not finished (running or waiting for a
    /// <c>--max-concurrent-recoveries</c> slot).</summary>
    public int ShardsRecoveringOrQueued => _scheduler.ShardsInFlight;

    /// <inheritdoc cref="IOrchestratorQueries.CurrentProblems"/>
    public IReadOnlyList<DetectionAnalysis> CurrentProblems(string? keyspace = null, string? shard = null) => _queries.CurrentProblems(keyspace, shard);

    /// <inheritdoc cref="IOrchestratorQueries.CurrentAnalysis"/>
    public IReadOnlyList<ShardAnalysisResult> CurrentAnalysis(string? keyspace = null, string? shard = null) => _queries.CurrentAnalysis(keyspace, shard);

    /// <inheritdoc cref="IOrchestratorActions.DisableGlobalRecoveriesAsync"/>
    public Task DisableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) =>
        Actions.DisableGlobalRecoveriesAsync(requestedBy, cancellationToken);

    /// <inheritdoc cref="IOrchestratorActions.EnableGlobalRecoveriesAsync"/>
    public Task EnableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) =>
        Actions.EnableGlobalRecoveriesAsync(requestedBy, cancellationToken);

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
        _lifecycle.StartedAt = _time.GetUtcNow();
        _logger.DaemonStarting(
            Options.ClustersToWatch.Length == 0 ? "all keyspaces" : $"\"{Options.ClustersToWatch}\"", GoDuration.Format(Options.Discovery.InstancePollTime),
            GoDuration.Format(Options.Discovery.TopoInformationRefreshDuration), GoDuration.Format(Options.RecoveryPollDuration), Store.Location,
            Options.Recovery.AllowEmergencyReparent ? "allowed" : "not allowed", GoDuration.Format(Options.Recovery.RecoveryPeriodBlockDuration));

        // None of this process's can be running yet: those still marked running were cut off when the previous one stopped.
        if (await Store.OperatorReparents.EndAbandonedAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false) > 0)
        {
            _logger.OperatorReparentsAbandoned();
        }

        if (!Options.AllowRecovery)
        {
            // VTOrc refuses to run discovery when it cannot record this: recovering against the operator's wish is worse.
            await Store.DisableRecoveriesAsync(RecoveryScope.Global, "--allow-recovery=false", "", _time.GetUtcNow(), cancellationToken)
                .ConfigureAwait(false);
            _logger.RecoveriesDisabledByFlag();
        }
        else if (await Store.IsGlobalRecoveryDisabledAsync(cancellationToken).ConfigureAwait(false))
        {
            _logger.RecoveriesDisabledByHistory(Store.Location);
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
                _logger.InitialTopoRefreshDone(
                    complete ? "complete" : "partial (will retry at the next topo tick)", State.Tablets.Count, State.Shards.Count);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.InitialTopoRefreshTimedOut(Options.Discovery.RemoteOperationTimeout);
            }
            catch (Exception e) when (e is TopoException or Protocol.Etcd.EtcdException)
            {
                _logger.InitialTopoRefreshFailed(e.Message);
            }
        }

        // After the first refresh, so the first reconcile opens the streams of every tablet known by then.
        HealthStreams?.Start();
        if (HealthStreams is null)
        {
            _logger.HealthStreamsOff(
                Options.HealthStream.Enabled ? "the tablet client cannot stream" : "--tablet-health-stream=false");
        }

        var abort = _abort.Token;
        _loops.Add(Refresher.CreateTicker(_logger));
        if (Watcher is { } watcher)
        {
            _loops.Add(new BackgroundLoop("topo watch", _logger, watcher.RunAsync));
        }
        _loops.Add(new BackgroundLoop("recovery tick", _logger, stopping => _recoveryLoop.RunAsync(stopping, abort)));
        var caretakingInterval = Options.CaretakingInterval;
        _loops.Add(BackgroundLoop.Periodic("caretaking tick", _logger, () => caretakingInterval, _time, _caretakingLoop.TickAsync));
        _loops.Add(BackgroundLoop.Periodic("gauge tick", _logger, Options.GaugeInterval, _time, _gaugeLoop.Update));
        foreach (var loop in _loops)
        {
            loop.Start();
        }
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
                _logger.CellNotInTopology(Options.Cell, string.Join(", ", cells));
            }
        }
        catch (Exception e) when (e is TopoException or Protocol.Etcd.EtcdException)
        {
            _logger.CellNotChecked(Options.Cell, e.Message);
        }
    }

    // ---- shutdown ----

    /// <summary>
    /// SIGTERM (closeVTOrc in go/vt/vtorc/logic/vtorc.go): no new shard lock and no new operator reparent from now on,
    /// audit <c>shutdown</c>, wait for the held shard locks to be released (at most <c>--shutdown-wait-time</c>), then
    /// for the ticks, the recoveries and the operators' reparents still running (at most <c>--shutdown-wait-time</c>
    /// again, then they are cancelled and waited for), then stop the polling and close the store. The topo server
    /// belongs to the caller.
    /// </summary>
    public async Task ShutdownAsync(string reason = "Triggered via SIGTERM")
    {
        _lifecycle.RequestShutdown();
        await _shutdownGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            Pipeline.BeginShutdown();
            var operatorReparents = _operatorReparents.StopAccepting();
            await _audit.WriteAsync("shutdown", "", "", "", reason).ConfigureAwait(false);
            await new ShardLockDrain(Pipeline, _time, _logger).WaitAsync(Options.ShutdownWaitTime).ConfigureAwait(false);

            // The recoveries the ticks started are not part of the loops: wait for them as for the loops. An operator's
            // reparent cut off half done can leave the shard without a primary: it is waited for the same way.
            if (operatorReparents.Count > 0)
            {
                _logger.ShutdownWaitingForOperatorReparents(Options.ShutdownWaitTime, operatorReparents.Count, string.Join("; ", operatorReparents));
            }
            var reparentsDone = _operatorReparents.WhenRunningDoneAsync();
            var recoveriesDone = Task.WhenAll(_loops.Select(l => l.StopAsync()).Append(_scheduler.WhenInFlightDoneAsync()));
            var loops = Task.WhenAll(recoveriesDone, reparentsDone);
            if (await Task.WhenAny(loops, Task.Delay(Options.ShutdownWaitTime, _time)).ConfigureAwait(false) != loops)
            {
                if (!recoveriesDone.IsCompleted)
                {
                    _logger.ShutdownCancellingRecoveries(_scheduler.ShardsInFlight, Options.ShutdownWaitTime);
                }
                if (!reparentsDone.IsCompleted)
                {
                    _logger.ShutdownCancellingOperatorReparents(Options.ShutdownWaitTime, string.Join("; ", _operatorReparents.StopAccepting()));
                }
            }
            else if (operatorReparents.Count > 0)
            {
                _logger.ShutdownOperatorReparentsEnded();
            }
            await _abort.CancelAsync().ConfigureAwait(false);
            // A loop that failed was logged, under its name, when it failed. The reparents cancelled just now end, and
            // write their record, before the store closes.
            await loops.ConfigureAwait(false);
            // A tick that was under way when stopping began may have started recoveries after the wait above; they
            // run cancelled now and end before the store closes. The scheduler's tasks never fault.
            await _scheduler.WhenInFlightDoneAsync().ConfigureAwait(false);
            if (HealthStreams is not null)
            {
                await HealthStreams.DisposeAsync().ConfigureAwait(false);
            }
            await Poller.DisposeAsync().ConfigureAwait(false);
            await Store.DisposeAsync().ConfigureAwait(false);
            _logger.DaemonStopped();
        }
        finally
        {
            _shutdownGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync("Stopped").ConfigureAwait(false);
        _abort.Dispose();
    }
}
