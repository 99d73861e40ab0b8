using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// PrimaryBehindReplica (ours; docs/reliability.md, "A restarted primary behind its replica"): the read-only primary
/// lacks transactions a replica holds, so it must not be made writable. The emergency reparent elects the most advanced
/// tablet, demotes the old primary and repoints it, and it then fetches what it lacks. It waits for every tablet's
/// answer in its stop round: the replica holding the missing transactions must be among the candidates.
/// </summary>
internal sealed class RecoverPrimaryBehindReplicaAction(EmergencyReparentShard ers) : EmergencyReparentRecovery(ers)
{
    public override RecoveryFunction Function => RecoveryFunction.RecoverPrimaryBehindReplica;

    protected override bool WaitForAllTablets => true;

    protected override void BeforeReparent(RecoveryContext context)
    {
        var found = PrimaryBehindReplicas.Find(context.Snapshot, context.AnalyzedTablet.Alias);
        context.AddStep(found.Count == 0
            ? $"{context.AnalyzedTablet.Alias} was found behind a replica"
            : $"{ReplicaAheadOfPrimary.DescribeAll(found)}: electing the most advanced tablet instead of making {context.AnalyzedTablet.Alias} writable");
    }
}
