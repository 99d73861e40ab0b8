using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// NotConnectedToPrimary, ConnectedToWrongPrimary, ReplicationStopped, ReplicaIsWritable, ReplicaSemiSync*,
/// ReplicaMisconfigured: make the replica read-only, then point it at the shard primary and start replication, with
/// the semi-sync role the policy gives it and a heartbeat of half its replica_net_timeout.
/// </summary>
public sealed class FixReplicaAction : IRecoveryAction
{
    private readonly ITabletManagerClient _tablets;

    public FixReplicaAction(ITabletManagerClient tablets)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        _tablets = tablets;
    }

    public RecoveryFunction Function => RecoveryFunction.FixReplica;

    public bool Acts => true;

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var primary = ShardPrimary.Require(context.Snapshot);
        var replica = context.AnalyzedTablet;
        var durability = context.Durability;
        var timeout = context.Settings.RemoteOperationTimeout;
        await _tablets.SetReadOnlyAsync(replica.Tablet, cancellationToken, timeout).ConfigureAwait(false);
        bool semiSync = durability.IsReplicaSemiSync(primary.Info, replica.Info);
        double heartbeat = context.Analysis.ReplicaNetTimeout / 2.0;
        await _tablets.SetReplicationSourceAsync(replica.Tablet, primary.Tablet.Alias, 0, "", true, semiSync, heartbeat, cancellationToken, timeout)
            .ConfigureAwait(false);
        context.AddStep($"{replica.Alias} set read-only and replicating from {primary.Alias} (semi-sync {(semiSync ? "on" : "off")}, heartbeat {heartbeat} s)");
        return RecoveryActionResult.Done;
    }
}
