using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>UnreachablePrimaryWithBrokenReplicas: restart every direct replica not restarted within the last minute.</summary>
internal sealed class RestartAllDirectReplicasAction(ITabletManagerClient tablets, TimeProvider time) : RestartDirectReplicasRecovery(tablets, time)
{
    public override RecoveryFunction Function => RecoveryFunction.RestartAllDirectReplicas;

    protected override int? Limit => null;
}
