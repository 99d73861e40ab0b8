using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// PrimaryTabletDeleted: ERS waiting for every tablet, since the deleted primary is not among them and every
/// remaining tablet's position counts.
/// </summary>
internal sealed class RecoverPrimaryTabletDeletedAction(EmergencyReparentShard ers) : EmergencyReparentRecovery(ers)
{
    public override RecoveryFunction Function => RecoveryFunction.RecoverPrimaryTabletDeleted;

    protected override bool WaitForAllTablets => true;
}
