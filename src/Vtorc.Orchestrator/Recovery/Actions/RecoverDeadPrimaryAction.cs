using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>DeadPrimary, DeadPrimaryAndSomeReplicas, PrimaryDiskStalled, PrimarySemiSyncBlocked, PrimaryTabletUnreachableByQuorum (and
/// the fallback of IncapacitatedPrimary): ERS waiting for n−1 tablets.</summary>
internal sealed class RecoverDeadPrimaryAction(EmergencyReparentShard ers) : EmergencyReparentRecovery(ers)
{
    public override RecoveryFunction Function => RecoveryFunction.RecoverDeadPrimary;

    protected override bool WaitForAllTablets => false;
}
