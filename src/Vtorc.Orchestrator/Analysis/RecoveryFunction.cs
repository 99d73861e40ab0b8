namespace Vtorc.Orchestrator.Analysis;

/// <summary>The recovery functions of go/vt/vtorc/logic/topology_recovery.go; the names are the metric/audit
/// names.</summary>
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

    /// <summary>IncapacitatedPrimary (Vitess v24): PRS away from a primary that still answers Ping, ERS if PRS fails.</summary>
    RecoverIncapacitatedPrimary,

    /// <summary>Ours: the emergency reparent of PrimaryBehindReplica (docs/vitess-compatibility.md).</summary>
    RecoverPrimaryBehindReplica,
}
