using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>UnreachablePrimary: restart one randomly chosen direct replica.</summary>
internal sealed class RestartArbitraryDirectReplicaAction(ITabletManagerClient tablets, TimeProvider time) : RestartDirectReplicasRecovery(tablets, time)
{
    public override RecoveryFunction Function => RecoveryFunction.RestartArbitraryDirectReplica;

    protected override int? Limit => 1;
}
