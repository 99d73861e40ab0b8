namespace Vtorc.Orchestrator.Analysis;

/// <summary>The recovery functions of vtorc-behaviour §2.5; the names are the metric/audit names.</summary>
public enum RecoveryFunction
{
    None = 0,
    RecoverDeadPrimary,
    RecoverPrimaryTabletDeleted,
    ElectNewPrimary,
    RecoverPrimaryHasPrimary,
    FixPrimary,
    DemoteStaleTopoPrimary,
    FixReplica,
    RecoverErrantGTIDDetected,
    CheckAndRecoverLockedSemiSyncPrimary,
    RestartArbitraryDirectReplica,
    RestartAllDirectReplicas,
    CheckAndRecoverGenericProblem,
}
