using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Analysis code → recovery (getCheckAndRecoverFunctionCode in go/vt/vtorc/logic/topology_recovery.go, v24 and main).
/// UnreachablePrimary(WithBrokenReplicas) map to the replica restarts of v24-era Vitess. Codes not listed, including
/// unknown ones, have no recovery.
/// </summary>
internal static class RecoveryMapping
{
    public static MappedRecovery NoRecovery { get; } = new(RecoveryFunction.None, false, false, RecoveryGate.None);

    private static readonly Dictionary<string, MappedRecovery> ByCode = Build();

    public static MappedRecovery For(string analysisCode)
    {
        ArgumentNullException.ThrowIfNull(analysisCode);
        return ByCode.TryGetValue(analysisCode, out var mapped) ? mapped : NoRecovery;
    }

    private static Dictionary<string, MappedRecovery> Build()
    {
        var ers = new MappedRecovery(RecoveryFunction.RecoverDeadPrimary, true, true, RecoveryGate.EmergencyReparentEnabled);
        var fixPrimary = new MappedRecovery(RecoveryFunction.FixPrimary, true, false, RecoveryGate.None);
        var fixReplica = new MappedRecovery(RecoveryFunction.FixReplica, true, false, RecoveryGate.None);
        var generic = new MappedRecovery(RecoveryFunction.CheckAndRecoverGenericProblem, false, false, RecoveryGate.None);
        return new Dictionary<string, MappedRecovery>(StringComparer.Ordinal)
        {
            [C.DeadPrimary] = ers,
            [C.DeadPrimaryAndSomeReplicas] = ers,
            [C.PrimaryDiskStalled] = ers,
            [C.PrimarySemiSyncBlocked] = ers,
            [C.PrimaryTabletUnreachableByQuorum] = ers,
            // PRS first, which needs no ERS switch; the ERS fallback checks the switches itself.
            [C.IncapacitatedPrimary] = new(RecoveryFunction.RecoverIncapacitatedPrimary, true, true, RecoveryGate.None),
            [C.PrimaryBehindReplica] = new(RecoveryFunction.RecoverPrimaryBehindReplica, true, true, RecoveryGate.EmergencyReparentEnabled),
            [C.PrimaryTabletDeleted] = new(RecoveryFunction.RecoverPrimaryTabletDeleted, true, true, RecoveryGate.EmergencyReparentEnabled),
            [C.ClusterHasNoPrimary] = new(RecoveryFunction.ElectNewPrimary, true, true, RecoveryGate.None),
            [C.PrimaryHasPrimary] = new(RecoveryFunction.RecoverPrimaryHasPrimary, true, false, RecoveryGate.None),
            [C.PrimaryIsReadOnly] = fixPrimary,
            [C.PrimarySemiSyncMustBeSet] = fixPrimary,
            [C.PrimarySemiSyncMustNotBeSet] = fixPrimary,
            [C.PrimaryCurrentTypeMismatch] = fixPrimary,
            [C.StaleTopoPrimary] = new(RecoveryFunction.DemoteStaleTopoPrimary, true, false, RecoveryGate.None),
            [C.NotConnectedToPrimary] = fixReplica,
            [C.ConnectedToWrongPrimary] = fixReplica,
            [C.ReplicationStopped] = fixReplica,
            [C.ReplicaIsWritable] = fixReplica,
            [C.ReplicaSemiSyncMustBeSet] = fixReplica,
            [C.ReplicaSemiSyncMustNotBeSet] = fixReplica,
            [C.ReplicaMisconfigured] = fixReplica,
            [C.ErrantGtidDetected] = new(RecoveryFunction.RecoverErrantGTIDDetected, true, false, RecoveryGate.ChangeTabletsWithErrantGtidToDrained),
            [C.ReplicationDiverged] = new(RecoveryFunction.RecoverErrantGTIDDetected, true, false, RecoveryGate.ChangeTabletsWithErrantGtidToDrained),
            [C.LockedSemiSyncPrimary] = new(RecoveryFunction.CheckAndRecoverLockedSemiSyncPrimary, true, false, RecoveryGate.None),
            [C.UnreachablePrimary] = new(RecoveryFunction.RestartArbitraryDirectReplica, true, false, RecoveryGate.None),
            [C.UnreachablePrimaryWithBrokenReplicas] = new(RecoveryFunction.RestartAllDirectReplicas, true, false, RecoveryGate.None),
            [C.DeadPrimaryAndReplicas] = generic,
            [C.UnreachablePrimaryWithLaggingReplicas] = generic,
            [C.AllPrimaryReplicasNotReplicating] = generic,
            [C.AllPrimaryReplicasNotReplicatingOrDead] = generic,
        };
    }
}
