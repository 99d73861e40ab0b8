using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// The ERS recoveries of VTOrc (go/vt/vtorc/logic/topology_recovery.go): EmergencyReparentShard on the analysed
/// tablet's shard under the lock the pipeline holds, no requested primary, nobody ignored; every ERS event becomes a
/// recovery step.
/// </summary>
internal abstract class EmergencyReparentRecovery : IRecoveryAction
{
    private readonly EmergencyReparentShard _ers;

    protected EmergencyReparentRecovery(EmergencyReparentShard ers)
    {
        ArgumentNullException.ThrowIfNull(ers);
        _ers = ers;
    }

    public abstract RecoveryFunction Function { get; }

    public bool Acts => true;

    /// <summary>Wait for every tablet to stop replication instead of all but one.</summary>
    protected abstract bool WaitForAllTablets { get; }

    /// <summary>Called before the reparent starts: records why this recovery reparents (nothing by default).</summary>
    protected virtual void BeforeReparent(RecoveryContext context)
    {
    }

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        BeforeReparent(context);
        var options = new EmergencyReparentOptions
        {
            WaitReplicasTimeout = context.Settings.WaitReplicasTimeout,
            SettleReplicasTimeout = context.Settings.ReplicaSettleTimeout,
            PreventCrossCellPromotion = context.Settings.PreventCrossCellFailover,
            WaitForAllTablets = WaitForAllTablets,
            FailIfLocked = true,
        };
        var result = await _ers.RunAsync(context.Keyspace, context.Shard, options, context.ReparentProgress, context.ShardLock, cancellationToken)
            .ConfigureAwait(false);
        // ERS has settled or cancelled every repoint before returning (ReplicasSettled is complete).
        await result.ReplicasSettled.ConfigureAwait(false);
        context.AddStep($"promoted replica: {result.NewPrimary}");
        context.AddStep($"{Function}: successfully promoted {result.NewPrimary}");
        return new RecoveryActionResult(result.NewPrimary);
    }
}
