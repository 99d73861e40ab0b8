using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>Runs the recovery pipeline for one analysis; what the scheduler dispatches to.</summary>
public interface IRecoveryExecutor
{
    /// <summary>Never throws for a recovery's own failure (that is an outcome); throws only when cancelled.</summary>
    Task<RecoveryExecution> ExecuteAsync(DetectionAnalysis analysis, CancellationToken cancellationToken);
}
