using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// NotConnectedToPrimary, ConnectedToWrongPrimary, ReplicationStopped, ReplicaIsWritable, ReplicaSemiSync*,
/// ReplicaMisconfigured: make the replica read-only, then point it at the shard primary and start replication, with
/// the semi-sync role the policy gives it and a heartbeat of half its replica_net_timeout. The repair counts only if
/// replication then runs (or is still connecting after a short watch); a thread stopped with an error fails it.
/// </summary>
internal sealed class FixReplicaAction : IRecoveryAction
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
        await ConfirmReplicationStartedAsync(context, replica, primary.Alias, cancellationToken).ConfigureAwait(false);
        return RecoveryActionResult.Done;
    }

    /// <summary>
    /// A started replica whose source refuses it (e.g. MariaDB error 1236, diverged) fails a moment after START SLAVE
    /// returned: watch its status briefly so such a repair is recorded as the failure it is, not as a success.
    /// </summary>
    private async Task ConfirmReplicationStartedAsync(RecoveryContext context, TabletRecord replica, string primaryAlias,
        CancellationToken cancellationToken)
    {
        var timeout = context.Settings.RemoteOperationTimeout;
        for (int attempt = 0; attempt < ConfirmAttempts; attempt++)
        {
            var status = await _tablets.ReplicationStatusAsync(replica.Tablet, cancellationToken, timeout).ConfigureAwait(false);
            var (outcome, reason) = ReplicationStartVerdict.Judge(status);
            if (outcome == ReplicationStartOutcome.Running)
            {
                return;
            }
            if (outcome == ReplicationStartOutcome.Failed)
            {
                throw new RecoveryException($"replication on {replica.Alias} from {primaryAlias} did not start: {reason}");
            }
            if (status.IoState == 0 && status.SqlState == 0)
            {
                return; // the tablet does not report thread states: nothing to confirm
            }
            await Task.Delay(ConfirmInterval, cancellationToken).ConfigureAwait(false);
        }
        context.AddStep($"{replica.Alias} was still connecting to {primaryAlias} after {(ConfirmAttempts * ConfirmInterval).TotalSeconds:0.#} s");
    }

    private const int ConfirmAttempts = 8;
    private static readonly TimeSpan ConfirmInterval = TimeSpan.FromMilliseconds(250);
}
