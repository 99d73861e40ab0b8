using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>ClusterHasNoPrimary: PlannedReparentShard with no requested or avoided tablet elects the first primary.</summary>
internal sealed class ElectNewPrimaryAction : IRecoveryAction
{
    private readonly PlannedReparentShard _prs;

    public ElectNewPrimaryAction(PlannedReparentShard prs)
    {
        ArgumentNullException.ThrowIfNull(prs);
        _prs = prs;
    }

    public RecoveryFunction Function => RecoveryFunction.ElectNewPrimary;

    public bool Acts => true;

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddStep("starting PlannedReparentShard for electing new primary.");
        return await PlannedReparentStep.RunAsync(_prs, context, avoidPrimary: null, context.Analysis.Analysis, cancellationToken)
            .ConfigureAwait(false);
    }
}
