using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>ClusterHasNoPrimary: PlannedReparentShard with no requested or avoided tablet elects the first primary.</summary>
public sealed class ElectNewPrimaryAction : IRecoveryAction
{
    private readonly PlannedReparentShard _prs;

    public ElectNewPrimaryAction(PlannedReparentShard prs)
    {
        ArgumentNullException.ThrowIfNull(prs);
        _prs = prs;
    }

    public RecoveryFunction Function => RecoveryFunction.ElectNewPrimary;

    public bool Acts => true;

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddStep("starting PlannedReparentShard for electing new primary.");
        var options = new PlannedReparentOptions
        {
            WaitReplicasTimeout = context.Settings.WaitReplicasTimeout,
            SettleReplicasTimeout = context.Settings.ReplicaSettleTimeout,
            TolerableReplicationLag = context.Settings.TolerableReplicationLag,
            FailIfLocked = true,
        };
        var result = await _prs.RunAsync(context.Keyspace, context.Shard, options, context.ReparentProgress, context.ShardLock, cancellationToken)
            .ConfigureAwait(false);
        await result.ReplicasSettled.ConfigureAwait(false);
        if (result.WasNoOp || string.IsNullOrEmpty(result.NewPrimary))
        {
            context.AddStep("PlannedReparentShard promoted nobody");
            return RecoveryActionResult.Done;
        }
        context.AddStep($"promoted replica: {result.NewPrimary}");
        context.AddStep($"{context.Analysis.Analysis}: successfully promoted {result.NewPrimary}");
        return new RecoveryActionResult(result.NewPrimary);
    }
}
