using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
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
/// recovery, another daemon or <c>vtorc ctl</c> holds it, the request is refused with who holds it.
/// </summary>
internal sealed class OperatorReparents(TopoServer topo, ITabletManagerClient tablets, DurabilityPolicyRegistry durability, RecoveryPipeline pipeline,
    DaemonLifecycle lifecycle, TimeProvider time, ILogger logger)
{
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
        return RunAsync("planned reparent", keyspace, shard, requestedBy, settings,
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
        return RunAsync("emergency reparent", keyspace, shard, requestedBy, settings,
            (progress, ct) => new EmergencyReparentShard(topo, tablets, durability, time).RunAsync(keyspace, shard, options, progress, cancellationToken: ct));
    }

    private async Task<ReparentResult> RunAsync(string what, string keyspace, string shard, string requestedBy, RecoverySettings settings,
        Func<IProgress<ReparentEvent>, CancellationToken, Task<ReparentResult>> reparent)
    {
        if (lifecycle.ShutdownRequested)
        {
            throw new ActionConflictException($"not starting the {what} of {keyspace}/{shard}: the daemon is shutting down");
        }
        // Not the request's token: a reparent cut off because the browser went away or the HTTP deadline passed would
        // leave the shard half moved. Its own bound covers every step's wait-replicas-timeout.
        using var deadline = new CancellationTokenSource(settings.WaitReplicasTimeout * 4 + settings.RemoteOperationTimeout * 2);
        logger.LogWarning("{What} of {Keyspace}/{Shard} requested by {Who}", what, keyspace, shard, requestedBy);
        try
        {
            var result = await reparent(new Progress(logger, what, keyspace, shard), deadline.Token).ConfigureAwait(false);
            await result.ReplicasSettled.ConfigureAwait(false);
            return result;
        }
        catch (ReparentOperationException e) when (e.InnerException is TopoException { Kind: TopoErrorKind.NodeExists })
        {
            throw new ActionConflictException($"{what} of {keyspace}/{shard} not started: {e.Message}", e);
        }
        catch (Exception e) when (e is ReparentDecisionException or ReparentOperationException or TopoException
            || (e is OperationCanceledException && deadline.IsCancellationRequested))
        {
            logger.LogWarning("{What} of {Keyspace}/{Shard} requested by {Who} failed: {Error}", what, keyspace, shard, requestedBy, e.Message);
            throw new ActionConflictException($"{what} of {keyspace}/{shard} failed: {e.Message}", e);
        }
    }

    /// <summary>Each step of the reparent in the daemon's log, as the recoveries' steps are.</summary>
    private sealed class Progress(ILogger logger, string what, string keyspace, string shard) : IProgress<ReparentEvent>
    {
        public void Report(ReparentEvent value) =>
            logger.LogInformation("{What} of {Keyspace}/{Shard}: {Step}", what, keyspace, shard, value.ToString());
    }
}
