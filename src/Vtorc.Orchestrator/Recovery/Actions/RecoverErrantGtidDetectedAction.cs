using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// ErrantGTIDDetected and our ReplicationDiverged (only with <c>--change-tablets-with-errant-gtid-to-drained</c>): take
/// the replica out of service as DRAINED; DRAINED tablets are not analysed, so nothing further happens to it.
/// </summary>
internal sealed class RecoverErrantGtidDetectedAction : IRecoveryAction
{
    private readonly ITabletManagerClient _tablets;

    public RecoverErrantGtidDetectedAction(ITabletManagerClient tablets)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        _tablets = tablets;
    }

    public RecoveryFunction Function => RecoveryFunction.RecoverErrantGTIDDetected;

    public bool Acts => true;

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var primary = ShardPrimary.Require(context.Snapshot);
        var tablet = context.AnalyzedTablet;
        bool semiSync = context.Durability.IsReplicaSemiSync(primary.Info, tablet.Info);
        await _tablets.ChangeTypeAsync(tablet.Tablet, TabletType.Drained, semiSync, cancellationToken, context.Settings.RemoteOperationTimeout)
            .ConfigureAwait(false);
        string why = context.Analysis.ErrantGTID.Length != 0 ? $"errant GTIDs {context.Analysis.ErrantGTID}" : context.Analysis.Analysis;
        context.AddStep($"changed {tablet.Alias} to DRAINED ({why})");
        return RecoveryActionResult.Done;
    }
}
