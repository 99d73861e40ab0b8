using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// StaleTopoPrimary: a tablet still typed PRIMARY with an older term than the shard's primary. Force-demote it
/// (dropping pending semi-sync waits), change it to REPLICA through the ChangeType RPC, and make it replicate from the
/// shard primary.
/// </summary>
/// <remarks>
/// VTOrc's 2026-03 version rewrites the Tablet record in the topo instead of calling ChangeType. We keep the RPC:
/// the tablet stays the only writer of its own record (VTOrc otherwise writes only locks), so its in-memory type
/// and its record cannot disagree afterwards; and DemotePrimary already needs the tablet reachable, so the topo
/// write would not fix more cases.
/// </remarks>
internal sealed class DemoteStaleTopoPrimaryAction : IRecoveryAction
{
    private readonly ITabletManagerClient _tablets;

    public DemoteStaleTopoPrimaryAction(ITabletManagerClient tablets)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        _tablets = tablets;
    }

    public RecoveryFunction Function => RecoveryFunction.DemoteStaleTopoPrimary;

    public bool Acts => true;

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var primary = ShardPrimary.Require(context.Snapshot);
        var stale = context.AnalyzedTablet;
        if (primary.Alias == stale.Alias)
        {
            throw new RecoveryException($"tablet {stale.Alias} is the shard's newest primary now, not a stale one");
        }
        var timeout = context.Settings.RemoteOperationTimeout;
        bool semiSync = context.Durability.IsReplicaSemiSync(primary.Info, stale.Info);
        await _tablets.DemotePrimaryAsync(stale.Tablet, true, cancellationToken, timeout).ConfigureAwait(false);
        context.AddStep($"force-demoted stale primary {stale.Alias}");
        await _tablets.ChangeTypeAsync(stale.Tablet, TabletType.Replica, semiSync, cancellationToken, timeout).ConfigureAwait(false);
        context.AddStep($"changed {stale.Alias} to REPLICA");
        double heartbeat = context.Analysis.ReplicaNetTimeout / 2.0;
        await _tablets.SetReplicationSourceAsync(stale.Tablet, primary.Tablet.Alias, 0, "", true, semiSync, heartbeat, cancellationToken, timeout)
            .ConfigureAwait(false);
        context.AddStep($"{stale.Alias} replicating from {primary.Alias} (semi-sync {(semiSync ? "on" : "off")})");
        return RecoveryActionResult.Done;
    }
}
