namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The analysis codes (go/vt/vtorc/inst/analysis.go), spelled as VTOrc reports them in the API, metrics and audit.
/// </summary>
public static class AnalysisCodes
{
    public const string NoProblem = "NoProblem";
    public const string InvalidPrimary = "InvalidPrimary";
    public const string InvalidReplica = "InvalidReplica";
    public const string PrimaryDiskStalled = "PrimaryDiskStalled";
    public const string DeadPrimaryWithoutReplicas = "DeadPrimaryWithoutReplicas";
    public const string DeadPrimary = "DeadPrimary";
    public const string DeadPrimaryAndReplicas = "DeadPrimaryAndReplicas";
    public const string DeadPrimaryAndSomeReplicas = "DeadPrimaryAndSomeReplicas";
    public const string PrimaryTabletUnreachableByQuorum = "PrimaryTabletUnreachableByQuorum";
    public const string IncapacitatedPrimary = "IncapacitatedPrimary";
    public const string PrimaryHasPrimary = "PrimaryHasPrimary";

    /// <summary>
    /// Ours, not a Vitess code: the read-only primary lacks transactions of its own stream that a replica holds
    /// (docs/vitess-compatibility.md; docs/reliability.md, "A restarted primary behind its replica").
    /// </summary>
    public const string PrimaryBehindReplica = "PrimaryBehindReplica";
    public const string PrimaryIsReadOnly = "PrimaryIsReadOnly";
    public const string PrimarySemiSyncMustBeSet = "PrimarySemiSyncMustBeSet";
    public const string PrimarySemiSyncMustNotBeSet = "PrimarySemiSyncMustNotBeSet";
    public const string PrimarySemiSyncBlocked = "PrimarySemiSyncBlocked";
    public const string PrimaryCurrentTypeMismatch = "PrimaryCurrentTypeMismatch";
    public const string StaleTopoPrimary = "StaleTopoPrimary";
    public const string ErrantGtidDetected = "ErrantGTIDDetected";
    public const string ClusterHasNoPrimary = "ClusterHasNoPrimary";
    public const string PrimaryTabletDeleted = "PrimaryTabletDeleted";
    public const string NotConnectedToPrimary = "NotConnectedToPrimary";
    public const string ReplicaIsWritable = "ReplicaIsWritable";
    public const string ReplicaMisconfigured = "ReplicaMisconfigured";
    public const string ConnectedToWrongPrimary = "ConnectedToWrongPrimary";
    public const string ReplicationStopped = "ReplicationStopped";

    /// <summary>Ours, not a Vitess code: replication stopped with a divergence error (docs/vitess-compatibility.md).</summary>
    public const string ReplicationDiverged = "ReplicationDiverged";
    public const string ReplicaSemiSyncMustBeSet = "ReplicaSemiSyncMustBeSet";
    public const string ReplicaSemiSyncMustNotBeSet = "ReplicaSemiSyncMustNotBeSet";
    public const string UnreachablePrimaryWithLaggingReplicas = "UnreachablePrimaryWithLaggingReplicas";
    public const string UnreachablePrimary = "UnreachablePrimary";
    public const string UnreachablePrimaryWithBrokenReplicas = "UnreachablePrimaryWithBrokenReplicas";
    public const string LockedSemiSyncPrimary = "LockedSemiSyncPrimary";
    public const string LockedSemiSyncPrimaryHypothesis = "LockedSemiSyncPrimaryHypothesis";
    public const string PrimarySingleReplicaNotReplicating = "PrimarySingleReplicaNotReplicating";
    public const string PrimarySingleReplicaDead = "PrimarySingleReplicaDead";
    public const string AllPrimaryReplicasNotReplicating = "AllPrimaryReplicasNotReplicating";
    public const string AllPrimaryReplicasNotReplicatingOrDead = "AllPrimaryReplicasNotReplicatingOrDead";
}
