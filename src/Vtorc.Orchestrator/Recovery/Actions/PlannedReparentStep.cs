using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// A PlannedReparentShard run by a recovery under the shard lock it already holds, with the recovery settings, its
/// replicas' settle awaited and its outcome written as recovery steps (shared by the actions that elect or move a primary).
/// </summary>
internal static class PlannedReparentStep
{
    /// <param name="avoidPrimary">The tablet to move the primary away from; null to elect without one.</param>
    /// <param name="successLabel">What the success step names ("{label}: successfully promoted …").</param>
    public static async Task<RecoveryActionResult> RunAsync(PlannedReparentShard prs, RecoveryContext context, string? avoidPrimary,
        string successLabel, CancellationToken cancellationToken)
    {
        var options = new PlannedReparentOptions
        {
            AvoidPrimary = avoidPrimary,
            WaitReplicasTimeout = context.Settings.WaitReplicasTimeout,
            SettleReplicasTimeout = context.Settings.ReplicaSettleTimeout,
            TolerableReplicationLag = context.Settings.TolerableReplicationLag,
            FailIfLocked = true,
        };
        var result = await prs.RunAsync(context.Keyspace, context.Shard, options, context.ReparentProgress, context.ShardLock, cancellationToken)
            .ConfigureAwait(false);
        await result.ReplicasSettled.ConfigureAwait(false);
        if (result.WasNoOp || string.IsNullOrEmpty(result.NewPrimary))
        {
            context.AddStep("PlannedReparentShard promoted nobody");
            return RecoveryActionResult.Done;
        }
        context.AddStep($"promoted replica: {result.NewPrimary}");
        context.AddStep($"{successLabel}: successfully promoted {result.NewPrimary}");
        return new RecoveryActionResult(result.NewPrimary);
    }
}
