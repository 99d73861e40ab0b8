using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// CheckAndRecoverLockedSemiSyncPrimary and CheckAndRecoverGenericProblem: known problems VTOrc does not act on; the
/// pipeline logs "No actions in …" and reports them as not attempted.
/// </summary>
internal sealed class NoOpRecoveryAction : IRecoveryAction
{
    public NoOpRecoveryAction(RecoveryFunction function)
    {
        if (function is not (RecoveryFunction.CheckAndRecoverLockedSemiSyncPrimary or RecoveryFunction.CheckAndRecoverGenericProblem))
        {
            throw new ArgumentException($"\"{function}\" is not a no-op recovery function", nameof(function));
        }
        Function = function;
    }

    public RecoveryFunction Function { get; }

    public bool Acts => false;

    public Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken) =>
        Task.FromResult(RecoveryActionResult.Done);
}
