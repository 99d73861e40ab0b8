using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// Planned and emergency reparents an operator asks for through the API. They run the same
/// <see cref="PlannedReparentShard"/> and <see cref="EmergencyReparentShard"/> as the daemon's recoveries, with the
/// recovery settings in force, and take the same topo shard lock without waiting (as the recovery pipeline does): when a
/// recovery, another daemon or <c>vtorc ctl</c> holds it, the request is refused with who holds it. Each is logged, audited
/// with who asked for it, and recorded with its steps in the store's <c>operator_reparent</c> tables (never in <c>topology_recovery</c>: it is no recovery, and
/// must not count for the anti-flapping block). The daemon's shutdown waits for those running (<see cref="StopAccepting"/>).
/// </summary>
/// <param name="abort">Cancelled when the daemon's shutdown stops waiting for running work.</param>
internal sealed class OperatorReparents(TopoServer topo, ITabletManagerClient tablets, DurabilityPolicyRegistry durability, RecoveryPipeline pipeline,
    OperatorReparentHistory history, OperatorReparentRevisions revisions, BestEffortAudit audit, DaemonLifecycle lifecycle, TimeProvider time,
    ILogger logger, CancellationToken abort)
{
    private readonly Lock _lock = new();
    private readonly HashSet<Running> _running = [];
    private bool _stopped;

    /// <summary>
    /// Refuses every later reparent and says which are running (shutdown: a reparent cut off half done can leave the shard
    /// without a primary, so the daemon waits for these with <see cref="WhenRunningDoneAsync"/>).
    /// </summary>
    public IReadOnlyList<string> StopAccepting()
    {
        lock (_lock)
        {
            _stopped = true;
            return [.. _running.Select(r => r.Description)];
        }
    }

    /// <summary>Completes when every reparent running now has ended and its record and audit entry are written; never faults.</summary>
    public Task WhenRunningDoneAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_running.Select(r => r.Done.Task));
        }
    }

    /// <exception cref="ActionConflictException">The daemon is stopping, the shard is locked, or the reparent refused or failed.</exception>
    public Task<ReparentResult> PlannedAsync(string keyspace, string shard, string newPrimary, string requestedBy)
    {
        var settings = pipeline.Settings;
        var options = new PlannedReparentOptions
        {
            NewPrimary = newPrimary,
            WaitReplicasTimeout = settings.WaitReplicasTimeout,
            SettleReplicasTimeout = settings.ReplicaSettleTimeout,
            TolerableReplicationLag = settings.TolerableReplicationLag,
            FailIfLocked = true,
        };
        return RunAsync(OperatorReparentHistory.Planned, newPrimary, keyspace, shard, requestedBy, settings,
            (progress, ct) => new PlannedReparentShard(topo, tablets, durability, time).RunAsync(keyspace, shard, options, progress, cancellationToken: ct));
    }

    /// <inheritdoc cref="PlannedAsync"/>
    public Task<ReparentResult> EmergencyAsync(string keyspace, string shard, string? newPrimary, string requestedBy)
    {
        var settings = pipeline.Settings;
        var options = new EmergencyReparentOptions
        {
            NewPrimary = newPrimary,
            WaitReplicasTimeout = settings.WaitReplicasTimeout,
            SettleReplicasTimeout = settings.ReplicaSettleTimeout,
            PreventCrossCellPromotion = settings.PreventCrossCellFailover,
            FailIfLocked = true,
        };
        return RunAsync(OperatorReparentHistory.Emergency, newPrimary ?? "", keyspace, shard, requestedBy, settings,
            (progress, ct) => new EmergencyReparentShard(topo, tablets, durability, time).RunAsync(keyspace, shard, options, progress, cancellationToken: ct));
    }

    private async Task<ReparentResult> RunAsync(string kind, string requestedPrimary, string keyspace, string shard, string requestedBy,
        RecoverySettings settings, Func<IProgress<ReparentEvent>, CancellationToken, Task<ReparentResult>> reparent)
    {
        var what = $"{kind} reparent";
        var running = new Running($"{what} of {keyspace}/{shard} requested by {requestedBy}");
        bool refused;
        lock (_lock)
        {
            refused = _stopped || lifecycle.ShutdownRequested;
            if (!refused)
            {
                _running.Add(running);
            }
        }
        if (refused)
        {
            var refusal = $"not starting the {what} of {keyspace}/{shard}: the daemon is shutting down";
            await audit.WriteAsync($"{kind}-reparent", "", keyspace, shard, $"requested by {requestedBy}: {refusal}").ConfigureAwait(false);
            throw new ActionConflictException(refusal);
        }
        try
        {
            return await RunRecordedAsync(what, kind, requestedPrimary, keyspace, shard, requestedBy, settings, reparent).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(running);
            }
            running.Done.TrySetResult();
        }
    }

    private async Task<ReparentResult> RunRecordedAsync(string what, string kind, string requestedPrimary, string keyspace, string shard,
        string requestedBy, RecoverySettings settings, Func<IProgress<ReparentEvent>, CancellationToken, Task<ReparentResult>> reparent)
    {
        // Not the request's token: a reparent cut off because the browser went away or the HTTP deadline passed would
        // leave the shard half moved. Its own bound covers every step's wait-replicas-timeout; the daemon's abort comes
        // only after shutdown waited for it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(abort);
        deadline.CancelAfter(settings.WaitReplicasTimeout * 4 + settings.RemoteOperationTimeout * 2);
        logger.OperatorReparentRequested(what, keyspace, shard, requestedBy);
        var recorder = new OperatorReparentRecorder(history, revisions, kind, what, keyspace, shard, requestedBy, requestedPrimary, time, logger);
        ReparentResult? result = null;
        string error = "";
        try
        {
            result = await reparent(recorder, deadline.Token).ConfigureAwait(false);
            await result.ReplicasSettled.ConfigureAwait(false);
            return result;
        }
        catch (ReparentOperationException e) when (e.InnerException is TopoException { Kind: TopoErrorKind.NodeExists })
        {
            error = $"not started: {e.Message}";
            throw new ActionConflictException($"{what} of {keyspace}/{shard} not started: {e.Message}", e);
        }
        catch (Exception e) when (e is ReparentDecisionException or ReparentOperationException or TopoException
            || (e is OperationCanceledException && deadline.IsCancellationRequested))
        {
            error = abort.IsCancellationRequested ? $"cancelled: the daemon shut down before it ended ({e.Message})" : e.Message;
            logger.OperatorReparentFailed(what, keyspace, shard, requestedBy, error);
            throw new ActionConflictException($"{what} of {keyspace}/{shard} failed: {error}", e);
        }
        catch (Exception e)
        {
            error = e.Message;
            throw;
        }
        finally
        {
            var succeeded = error.Length == 0 ? result : null;
            await recorder.EndAsync(succeeded, error).ConfigureAwait(false);
            await audit.WriteAsync($"{kind}-reparent", succeeded?.NewPrimary ?? "", keyspace, shard, $"requested by {requestedBy}: " + (succeeded is null
                ? $"{what} of {keyspace}/{shard} {(error.StartsWith("not started", StringComparison.Ordinal) ? "" : "failed: ")}{error}"
                : succeeded.WasNoOp
                    ? $"nothing to do, primary {succeeded.NewPrimary}"
                    : $"new primary {succeeded.NewPrimary} (previous {succeeded.PreviousPrimary ?? "none"})")).ConfigureAwait(false);
        }
    }

    /// <summary>A reparent under way, as shutdown names and waits for it.</summary>
    private sealed class Running(string description)
    {
        public string Description { get; } = description;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
