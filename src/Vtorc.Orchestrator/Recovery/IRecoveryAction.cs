using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>One recovery function of VTOrc (go/vt/vtorc/logic/topology_recovery.go). Runs under the shard lock, after
/// registration.</summary>
public interface IRecoveryAction
{
    RecoveryFunction Function { get; }

    /// <summary>
    /// False for the functions that only log ("No actions in …") and report "not attempted": the pipeline neither
    /// registers nor counts them.
    /// </summary>
    bool Acts { get; }

    /// <summary>Performs the recovery; a failure is thrown (the pipeline records it and counts a failed recovery).</summary>
    Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken);
}
