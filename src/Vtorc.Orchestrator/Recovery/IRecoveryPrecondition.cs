using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// A recovery function that decides, under the shard lock but before the recovery is registered, whether to act at
/// all (RecoverIncapacitatedPrimary's Ping in go/vt/vtorc/logic/topology_recovery.go): a refusal leaves no recovery
/// row and counts no recovery.
/// </summary>
internal interface IRecoveryPrecondition
{
    /// <summary>Null to go ahead; otherwise why the recovery is not attempted.</summary>
    Task<string?> RefusalAsync(DetectionAnalysis analysis, ShardSnapshot snapshot, CancellationToken cancellationToken);
}
