using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// VTOrc's <c>executeCheckAndRecoverFunction</c> (go/vt/vtorc/logic/topology_recovery.go; steps in
/// docs/operation-steps.md) for one analysis: decide the recovery, record the detection, honour the switches and the
/// anti-flapping block, re-check the primary, try-lock the shard, refresh and re-analyse under the lock, run the
/// recovery function, count it and refresh afterwards. Every decision is logged with its reason: Information for
/// actions and skips, Debug when there is nothing to do.
/// </summary>
public sealed class RecoveryPipeline : IRecoveryExecutor
{
    private const string ShardLockedReason = "ShardLocked";

    private readonly TopoServer _topo;
    private readonly IShardStateSource _state;
    private readonly IRecoveryHistory _history;
    private readonly IRecoveryMetrics _metrics;
    private readonly RecoveryActions _actions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private RecoverySettings _settings;
    private int _shuttingDown;
    private int _shardLocksHeld;

    public RecoveryPipeline(TopoServer topo, IShardStateSource state, IRecoveryHistory history, IRecoveryMetrics metrics, RecoveryActions actions,
        RecoverySettings settings, TimeProvider time, ILogger<RecoveryPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(topo);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _topo = topo;
        _state = state;
        _history = history;
        _metrics = metrics;
        _actions = actions;
        _time = time;
        _logger = logger;
        _settings = Validated(settings);
    }

    /// <summary>The flags in force; replaceable at run time (VTOrc's dynamic flags). Each run reads them once.</summary>
    public RecoverySettings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, Validated(value));
    }

    /// <summary>Shard locks this pipeline holds right now (what shutdown waits for, as closeVTOrc in
    /// go/vt/vtorc/logic/vtorc.go).</summary>
    public int ShardLocksHeld => Volatile.Read(ref _shardLocksHeld);

    /// <summary>SIGTERM received: from now on no shard lock is taken, so no new recovery starts.</summary>
    public void BeginShutdown() => Interlocked.Exchange(ref _shuttingDown, 1);

    public async Task<RecoveryExecution> ExecuteAsync(DetectionAnalysis analysis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        _metrics.AddPendingRecoveries(1);
        try
        {
            return await new Run(this, analysis, Settings).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metrics.AddPendingRecoveries(-1);
        }
    }

    private static RecoverySettings Validated(RecoverySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return settings;
    }

    /// <summary>One execution: the analysis, the settings read at its start and what it learned so far.</summary>
    private sealed class Run(RecoveryPipeline owner, DetectionAnalysis analysis, RecoverySettings settings)
    {
        // Long enough for a tablet that answers (a new TCP connection and one FullStatus), short enough not to delay
        // the failover of one that does not.
        private static readonly TimeSpan DeadPrimaryProbeTimeout = TimeSpan.FromSeconds(2);

        private readonly RecoveryDecision _decision = RecoveryDecision.For(analysis, settings);
        private readonly ILogger _log = owner._logger;
        private long _detectionId;

        private string Code => analysis.Analysis;

        private string Alias => analysis.AnalyzedInstanceAlias;

        private string Keyspace => analysis.AnalyzedKeyspace;

        private string Shard => analysis.AnalyzedShard;

        private string Name => _decision.RecoveryName;

        private RecoveryMetricLabels Labels => new(Name, Keyspace, Shard);

        public async Task<RecoveryExecution> ExecuteAsync(CancellationToken ct)
        {
            // Steps 2–3: no recovery, or its switch is off.
            if (_decision.SkipReason is { } early)
            {
                owner._metrics.CountSkippedRecovery(Labels, early);
                string message = early == RecoverySkipReason.EmergencyReparentShardDisabled
                    ? $"skipping {Name} for {Code} on {Alias}: {RecoveryDecision.DescribeEmergencyReparentSwitch(analysis, settings)}"
                    : $"no recovery action for {Code} on {Alias}"
                      + (_decision.Function == RecoveryFunction.RecoverErrantGTIDDetected ? " (--change-tablets-with-errant-gtid-to-drained is off)" : "");
                _log.Log(early == RecoverySkipReason.NoRecoveryAction ? LogLevel.Debug : LogLevel.Information, "{Message}", message);
                return new RecoveryExecution(RecoveryOutcome.Skipped, Name, message) { SkipReason = early };
            }

            // Step 4.
            try
            {
                _detectionId = await owner._history.RecordDetectionAsync(analysis, owner._time.GetUtcNow(), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                string message = $"not recovering {Code} on {Alias}: could not record the detection: {e.Message}";
                _log.LogError(e, "{Message}", message);
                return new RecoveryExecution(RecoveryOutcome.NotAttempted, Name, message);
            }

            // Step 5, with our keyspace and shard switches beside the global one.
            if (await FindDisableAsync(ct).ConfigureAwait(false) is { } disable)
            {
                return disable.Scope.Kind switch
                {
                    RecoveryScopeKind.Global => await SkipAsync(RecoverySkipReason.GlobalRecoveriesDisabled,
                        $"skipping {Name} for {Code} on {Alias}: recoveries are disabled globally", ct).ConfigureAwait(false),
                    var kind => await SkipAsync(
                        kind == RecoveryScopeKind.Keyspace ? RecoverySkipReason.KeyspaceRecoveriesDisabled : RecoverySkipReason.ShardRecoveriesDisabled,
                        $"skipping {Name} for {Code} on {Alias}: {disable.Describe()}", ct).ConfigureAwait(false),
                };
            }

            // Our anti-flapping block, before any I/O towards the tablets.
            if (await CheckRecoveryPeriodBlockAsync(ct).ConfigureAwait(false) is { } blocked)
            {
                return blocked;
            }

            // Step 6: let a shard-wide recovery (maybe another VTOrc's) go first.
            if (!_decision.IsShardWide)
            {
                if (analysis.AnalyzedInstancePrimaryAlias.Length > 0)
                {
                    await PollAsync(analysis.AnalyzedInstancePrimaryAlias, ct).ConfigureAwait(false);
                }
                if (FindSameRecovery() is null)
                {
                    return await SkipAsync(RecoverySkipReason.PrimaryRecovery, $"aborting {Code} on {Alias}, primary mitigation is required", ct)
                        .ConfigureAwait(false);
                }
            }

            // Step 7.
            if (Volatile.Read(ref owner._shuttingDown) == 1)
            {
                string message = $"not recovering {Code} on {Alias}: can't lock shard {Keyspace}/{Shard}: SIGTERM received";
                _log.LogInformation("{Message}", message);
                return new RecoveryExecution(RecoveryOutcome.NotAttempted, Name, message) { DetectionId = _detectionId };
            }
            LockHandle shardLock;
            var lockTimer = Stopwatch.StartNew();
            try
            {
                shardLock = await owner._topo.Locks.TryLockShardAsync(Keyspace, Shard, RecoveryLockAction.For(Code, Alias), ct).ConfigureAwait(false);
            }
            catch (TopoException e) when (e.Kind == TopoErrorKind.NodeExists)
            {
                string message = $"not recovering {Code} on {Alias} now: shard {Keyspace}/{Shard} is locked by someone else ({e.Message}); retrying next tick";
                _log.LogInformation("{Message}", message);
                await RecordSkipAsync(ShardLockedReason, message, ct).ConfigureAwait(false);
                return new RecoveryExecution(RecoveryOutcome.ShardLocked, Name, message) { DetectionId = _detectionId };
            }
            catch (TopoException e) when (!ct.IsCancellationRequested)
            {
                string message = $"not recovering {Code} on {Alias} now: could not lock shard {Keyspace}/{Shard}: {e.Message}";
                _log.LogWarning("{Message}", message);
                return new RecoveryExecution(RecoveryOutcome.ShardLocked, Name, message) { DetectionId = _detectionId };
            }
            owner._metrics.ObserveShardLockTiming("Lock", lockTimer.Elapsed);
            owner._metrics.AddShardLocksActive(1);
            Interlocked.Increment(ref owner._shardLocksHeld);
            RecoveryExecution execution;
            try
            {
                using var underLock = CancellationTokenSource.CreateLinkedTokenSource(ct, shardLock.LostToken);
                execution = await RecoverLockedAsync(shardLock, underLock.Token, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                execution = NotAttempted($"not recovering {Code} on {Alias}: the shard lock of {Keyspace}/{Shard} was lost before the recovery started", e);
            }
            finally
            {
                var unlockTimer = Stopwatch.StartNew();
                await shardLock.DisposeAsync().ConfigureAwait(false);
                owner._metrics.ObserveShardLockTiming("Unlock", unlockTimer.Elapsed);
                owner._metrics.AddShardLocksActive(-1);
                Interlocked.Decrement(ref owner._shardLocksHeld);
            }

            // Step 13: outside the lock, with its own deadlines.
            if (execution.Outcome is RecoveryOutcome.Succeeded or RecoveryOutcome.Failed)
            {
                await RefreshAfterRecoveryAsync(ct).ConfigureAwait(false);
            }
            return execution;
        }

        /// <summary>Steps 8–12, holding the shard lock.</summary>
        private async Task<RecoveryExecution> RecoverLockedAsync(LockHandle shardLock, CancellationToken ct, CancellationToken callerToken)
        {
            var entry = analysis;
            ShardSnapshot? snapshot;
            if (_decision.Action.IsActionable)
            {
                try
                {
                    await WithDeadline(token => owner._state.RefreshShardAsync(Keyspace, Shard, token), ct).ConfigureAwait(false);
                    await WithDeadline(token => owner._state.RefreshTabletsAsync(Keyspace, Shard, token), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    return NotAttempted($"not recovering {Code} on {Alias}: refreshing shard {Keyspace}/{Shard} from the topo failed: {e.Message}", e);
                }
                if (_decision.IsShardWide)
                {
                    var before = owner._state.GetSnapshot(Keyspace, Shard);
                    var tablets = before?.Tablets ?? [];
                    // Vitess does not poll a dead primary again here (its poll would only wait out the deadline). We
                    // probe it on a new connection with a short deadline: an analysis made while it was cut off may be
                    // acted on after the cut healed, when its old connection is still stuck in TCP retransmission but
                    // the primary answers (and may be writable) — then it is not dead, and no replica is promoted next
                    // to it (docs/vitess-compatibility.md).
                    bool deadPrimary = _decision.Function == RecoveryFunction.RecoverDeadPrimary;
                    await Task.WhenAll(tablets.Select(t => deadPrimary && t.Alias == Alias ? ProbeAsync(Alias, ct) : RefreshTabletAsync(t.Alias, before, ct)))
                        .ConfigureAwait(false);
                }
                else
                {
                    await RefreshTabletAsync(Alias, owner._state.GetSnapshot(Keyspace, Shard), ct).ConfigureAwait(false);
                    var current = owner._state.GetSnapshot(Keyspace, Shard);
                    var primary = current is null ? null : ShardPrimary.Find(current);
                    if (primary is null)
                    {
                        return NotAttempted($"not recovering {Code} on {Alias}: no primary tablet found in shard {Keyspace}/{Shard}", null);
                    }
                    if (primary.Alias != Alias)
                    {
                        await RefreshTabletAsync(primary.Alias, current, ct).ConfigureAwait(false);
                    }
                }
                ct.ThrowIfCancellationRequested();

                // As checkIfAlreadyFixed: same tablet, same recovery function and skip reason.
                if (FindSameRecovery() is not { } fresh)
                {
                    return await SkipAsync(RecoverySkipReason.StaleAnalysis,
                        $"{Code} on {Alias} is already fixed or changed (found after refreshing under the shard lock); skipping {Name}", callerToken)
                        .ConfigureAwait(false);
                }
                entry = fresh.Analysis;
                snapshot = fresh.Snapshot;
            }
            else
            {
                snapshot = owner._state.GetSnapshot(Keyspace, Shard);
            }

            // Step 9.
            if (!owner._actions.TryGet(_decision.Function, out var action) || action is null)
            {
                return NotAttempted($"not recovering {Code} on {Alias}: no implementation of {Name}", null);
            }
            if (!action.Acts)
            {
                string message = $"No actions in {Name} for {Code} on {Alias}";
                _log.LogDebug("{Message}", message);
                return new RecoveryExecution(RecoveryOutcome.NotAttempted, Name, message) { DetectionId = _detectionId };
            }
            if (snapshot is null)
            {
                return NotAttempted($"not recovering {Code} on {Alias}: shard {Keyspace}/{Shard} is no longer known", null);
            }

            if (action is IRecoveryPrecondition precondition
                && await precondition.RefusalAsync(entry, snapshot, ct).ConfigureAwait(false) is { } refusal)
            {
                string message = $"not recovering {Code} on {Alias} with {Name}: {refusal}";
                _log.LogInformation("{Message}", message);
                return new RecoveryExecution(RecoveryOutcome.NotAttempted, Name, message) { DetectionId = _detectionId };
            }

            var started = owner._time.GetUtcNow();
            long? recoveryId;
            try
            {
                recoveryId = await owner._history
                    .TryRegisterRecoveryAsync(new RecoveryRegistration(entry, _detectionId, Name, _decision.IsShardWide, started), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                return NotAttempted($"not recovering {Code} on {Alias}: could not register the recovery: {e.Message}", e);
            }
            if (recoveryId is not { } id)
            {
                // Step 10: not attempted, no counters.
                string message = $"found an active or recent recovery on {Alias}. Will not issue another {Name}.";
                _log.LogInformation("{Message}", message);
                return new RecoveryExecution(RecoveryOutcome.NotAttempted, Name, message) { DetectionId = _detectionId };
            }

            _log.LogInformation("recovery {RecoveryId}: starting {Recovery} for {Analysis} on {Tablet} in {Keyspace}/{Shard}",
                id, Name, Code, Alias, Keyspace, Shard);
            var steps = new RecoveryStepRecorder(owner._history, id, owner._time, _log, callerToken);
            var context = new RecoveryContext(entry, snapshot, shardLock, id, settings, steps);
            RecoveryActionResult? result = null;
            Exception? failure = null;
            try
            {
                result = await action.RunAsync(context, ct).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
                steps.Add($"{Name} failed: {e.Message}");
            }
            await steps.FlushAsync().ConfigureAwait(false);
            await ResolveAsync(id, result, failure).ConfigureAwait(false);

            // Steps 11–12.
            owner._metrics.CountRecovery(Labels);
            var elapsed = owner._time.GetUtcNow() - started;
            if (failure is not null)
            {
                owner._metrics.CountFailedRecovery(Labels);
                string message = $"recovery {id}: {Name} for {Code} on {Alias} failed after {elapsed.TotalSeconds:0.###} s: {failure.Message}";
                _log.LogError(failure, "{Message}", message);
                if (failure is OperationCanceledException && callerToken.IsCancellationRequested)
                {
                    throw failure;
                }
                return new RecoveryExecution(RecoveryOutcome.Failed, Name, message) { DetectionId = _detectionId, RecoveryId = id };
            }
            owner._metrics.CountSuccessfulRecovery(Labels);
            string done = result!.PromotedAlias is { } promoted
                ? $"recovery {id}: {Name} for {Code} on {Alias} promoted {promoted} in {elapsed.TotalSeconds:0.###} s"
                : $"recovery {id}: {Name} for {Code} on {Alias} succeeded in {elapsed.TotalSeconds:0.###} s";
            _log.LogInformation("{Message}", done);
            return new RecoveryExecution(RecoveryOutcome.Succeeded, Name, done)
            {
                DetectionId = _detectionId,
                RecoveryId = id,
                PromotedAlias = result.PromotedAlias,
            };
        }

        /// <summary>The re-analysed entry of the same tablet with the same recovery, from the current in-memory state.</summary>
        private (DetectionAnalysis Analysis, ShardSnapshot Snapshot)? FindSameRecovery()
        {
            var snapshot = owner._state.GetSnapshot(Keyspace, Shard);
            if (snapshot is null)
            {
                return null;
            }
            var result = DetectionAnalyzer.Analyze(snapshot, settings.Analysis, owner._time.GetUtcNow());
            foreach (var candidate in result.Analyses)
            {
                if (candidate.AnalyzedInstanceAlias == Alias && RecoveryDecision.For(candidate, settings).IsSameRecoveryAs(_decision))
                {
                    return (candidate, snapshot);
                }
            }
            return null;
        }

        /// <summary>The operator's disable covering this shard, or null; a read failure counts as enabled, as VTOrc does.</summary>
        private async Task<RecoveryDisable?> FindDisableAsync(CancellationToken ct)
        {
            try
            {
                return RecoveryDisable.Covering(await owner._history.ReadRecoveryDisablesAsync(ct).ConfigureAwait(false), Keyspace, Shard);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogWarning(e, "could not read whether recoveries are disabled; going on with {Recovery} for {Analysis} on {Tablet}",
                    Name, Code, Alias);
                return null;
            }
        }

        private async Task<RecoveryExecution?> CheckRecoveryPeriodBlockAsync(CancellationToken ct)
        {
            var block = settings.RecoveryPeriodBlockDuration;
            if (!_decision.IsShardWide || block <= TimeSpan.Zero)
            {
                return null;
            }
            CompletedRecovery? last;
            try
            {
                last = await owner._history.GetLastCompletedShardWideRecoveryAsync(Keyspace, Shard, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogWarning(e, "could not read the last shard-wide recovery of {Keyspace}/{Shard}; not applying the recovery period block",
                    Keyspace, Shard);
                return null;
            }
            if (last is null)
            {
                return null;
            }
            var since = owner._time.GetUtcNow() - last.EndedAt;
            if (since >= block)
            {
                return null;
            }
            if (last.Acknowledged)
            {
                _log.LogInformation(
                    "shard-wide recovery {RecoveryId} of {Keyspace}/{Shard} ended {Seconds:0.#} s ago but was acknowledged; not blocking {Recovery} for {Analysis} on {Tablet}",
                    last.RecoveryId, Keyspace, Shard, since.TotalSeconds, Name, Code, Alias);
                return null;
            }
            var remaining = block - since;
            return await SkipAsync(RecoverySkipReason.RecoveryPeriodBlock,
                $"blocking {Name} for {Code} on {Alias}: shard-wide recovery {last.RecoveryId} ({last.Analysis} on {last.TabletAlias}) ended "
                + $"{since.TotalSeconds:0.#} s ago, within --recovery-period-block-duration={block.TotalSeconds:0.#} s; "
                + $"{remaining.TotalSeconds:0.#} s remaining, or acknowledge recovery {last.RecoveryId} to allow it now", ct).ConfigureAwait(false);
        }

        private async Task<RecoveryExecution> SkipAsync(RecoverySkipReason reason, string message, CancellationToken ct)
        {
            owner._metrics.CountSkippedRecovery(Labels, reason);
            _log.LogInformation("{Message}", message);
            await RecordSkipAsync(reason.ToString(), message, ct).ConfigureAwait(false);
            return new RecoveryExecution(RecoveryOutcome.Skipped, Name, message) { SkipReason = reason, DetectionId = _detectionId };
        }

        private async Task RecordSkipAsync(string reason, string message, CancellationToken ct)
        {
            try
            {
                await owner._history.RecordSkippedRecoveryAsync(
                    new SkippedRecovery(_detectionId, Alias, Code, Keyspace, Shard, Name, reason, message, owner._time.GetUtcNow()), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogWarning(e, "could not store the skipped recovery of {Analysis} on {Tablet}", Code, Alias);
            }
        }

        private RecoveryExecution NotAttempted(string message, Exception? cause)
        {
            _log.LogWarning(cause, "{Message}", message);
            return new RecoveryExecution(RecoveryOutcome.NotAttempted, Name, message) { DetectionId = _detectionId };
        }

        /// <summary>Written even when the recovery was cancelled: an unresolved row would block the shard
        /// (AttemptRecoveryRegistration in go/vt/vtorc/logic/topology_recovery_dao.go).</summary>
        private async Task ResolveAsync(long id, RecoveryActionResult? result, Exception? failure)
        {
            var resolution = new RecoveryResolution(id, owner._time.GetUtcNow(), failure is null, result?.PromotedAlias,
                failure is null ? [] : [failure.Message]);
            try
            {
                using var deadline = new CancellationTokenSource(settings.RemoteOperationTimeout);
                await owner._history.ResolveRecoveryAsync(resolution, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log.LogError(e, "recovery {RecoveryId}: could not store its end", id);
            }
        }

        /// <summary>
        /// Under the lock: a tablet whose last poll failed is probed (<see cref="ProbeAsync"/>), any other one polled. A
        /// full poll of a silent host waited out the 15 s deadline while holding the shard lock, so a DeadPrimary
        /// recovery behind a replica repair or UnreachablePrimary's replica restart waited that long for the lock.
        /// </summary>
        private Task RefreshTabletAsync(string alias, ShardSnapshot? before, CancellationToken ct) =>
            before?.Observations.GetValueOrDefault(alias) is { LastCheckSucceeded: false } ? ProbeAsync(alias, ct) : PollAsync(alias, ct);

        /// <summary>A poll on a new connection within <see cref="DeadPrimaryProbeTimeout"/>; failures are logged, not thrown.</summary>
        private async Task ProbeAsync(string alias, CancellationToken ct)
        {
            try
            {
                await owner._state.ProbeOnNewConnectionAsync(alias, DeadPrimaryProbeTimeout < settings.RemoteOperationTimeout ? DeadPrimaryProbeTimeout : settings.RemoteOperationTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogDebug(e, "probe of {Tablet}, not reached at its last poll, failed", alias);
            }
        }

        /// <summary>Polls one tablet with the remote-operation deadline; failures are logged, not thrown.</summary>
        private async Task PollAsync(string alias, CancellationToken ct)
        {
            try
            {
                await WithDeadline(token => owner._state.ForcePollAsync(alias, token), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogDebug(e, "force-poll of {Tablet} for {Analysis} on {Analysed} failed", alias, Code, Alias);
            }
        }

        private async Task WithDeadline(Func<CancellationToken, Task> call, CancellationToken ct)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(settings.RemoteOperationTimeout);
            await call(deadline.Token).ConfigureAwait(false);
        }

        private async Task RefreshAfterRecoveryAsync(CancellationToken ct)
        {
            try
            {
                if (_decision.IsShardWide)
                {
                    await WithDeadline(token => owner._state.RefreshShardAsync(Keyspace, Shard, token), ct).ConfigureAwait(false);
                    await WithDeadline(token => owner._state.RefreshTabletsAsync(Keyspace, Shard, token), ct).ConfigureAwait(false);
                    var tablets = owner._state.GetSnapshot(Keyspace, Shard)?.Tablets ?? [];
                    await Task.WhenAll(tablets.Select(t => PollAsync(t.Alias, ct))).ConfigureAwait(false);
                }
                else
                {
                    await PollAsync(Alias, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogWarning(e, "refresh of {Keyspace}/{Shard} after {Recovery} failed", Keyspace, Shard, Name);
            }
        }
    }
}
