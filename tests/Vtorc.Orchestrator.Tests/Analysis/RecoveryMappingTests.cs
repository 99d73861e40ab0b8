using Vtorc.Orchestrator.Analysis;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>Analysis code → recovery, as getCheckAndRecoverFunctionCode in
/// go/vt/vtorc/logic/topology_recovery.go.</summary>
public sealed class RecoveryMappingTests
{
    [Theory]
    [InlineData(C.DeadPrimary, RecoveryFunction.RecoverDeadPrimary, true, true, RecoveryGate.EmergencyReparentEnabled)]
    [InlineData(C.DeadPrimaryAndSomeReplicas, RecoveryFunction.RecoverDeadPrimary, true, true, RecoveryGate.EmergencyReparentEnabled)]
    [InlineData(C.PrimaryDiskStalled, RecoveryFunction.RecoverDeadPrimary, true, true, RecoveryGate.EmergencyReparentEnabled)]
    [InlineData(C.PrimarySemiSyncBlocked, RecoveryFunction.RecoverDeadPrimary, true, true, RecoveryGate.EmergencyReparentEnabled)]
    [InlineData(C.PrimaryTabletUnreachableByQuorum, RecoveryFunction.RecoverDeadPrimary, true, true, RecoveryGate.EmergencyReparentEnabled)]
    [InlineData(C.IncapacitatedPrimary, RecoveryFunction.RecoverIncapacitatedPrimary, true, true, RecoveryGate.None)]
    [InlineData(C.PrimaryTabletDeleted, RecoveryFunction.RecoverPrimaryTabletDeleted, true, true, RecoveryGate.EmergencyReparentEnabled)]
    [InlineData(C.ClusterHasNoPrimary, RecoveryFunction.ElectNewPrimary, true, true, RecoveryGate.None)]
    [InlineData(C.PrimaryHasPrimary, RecoveryFunction.RecoverPrimaryHasPrimary, true, false, RecoveryGate.None)]
    [InlineData(C.PrimaryIsReadOnly, RecoveryFunction.FixPrimary, true, false, RecoveryGate.None)]
    [InlineData(C.PrimarySemiSyncMustBeSet, RecoveryFunction.FixPrimary, true, false, RecoveryGate.None)]
    [InlineData(C.PrimarySemiSyncMustNotBeSet, RecoveryFunction.FixPrimary, true, false, RecoveryGate.None)]
    [InlineData(C.PrimaryCurrentTypeMismatch, RecoveryFunction.FixPrimary, true, false, RecoveryGate.None)]
    [InlineData(C.StaleTopoPrimary, RecoveryFunction.DemoteStaleTopoPrimary, true, false, RecoveryGate.None)]
    [InlineData(C.NotConnectedToPrimary, RecoveryFunction.FixReplica, true, false, RecoveryGate.None)]
    [InlineData(C.ConnectedToWrongPrimary, RecoveryFunction.FixReplica, true, false, RecoveryGate.None)]
    [InlineData(C.ReplicationStopped, RecoveryFunction.FixReplica, true, false, RecoveryGate.None)]
    [InlineData(C.ReplicaIsWritable, RecoveryFunction.FixReplica, true, false, RecoveryGate.None)]
    [InlineData(C.ReplicaSemiSyncMustBeSet, RecoveryFunction.FixReplica, true, false, RecoveryGate.None)]
    [InlineData(C.ReplicaSemiSyncMustNotBeSet, RecoveryFunction.FixReplica, true, false, RecoveryGate.None)]
    [InlineData(C.ReplicaMisconfigured, RecoveryFunction.FixReplica, true, false, RecoveryGate.None)]
    [InlineData(C.ErrantGtidDetected, RecoveryFunction.RecoverErrantGTIDDetected, true, false, RecoveryGate.ChangeTabletsWithErrantGtidToDrained)]
    [InlineData(C.ReplicationDiverged, RecoveryFunction.RecoverErrantGTIDDetected, true, false, RecoveryGate.ChangeTabletsWithErrantGtidToDrained)] // ours
    [InlineData(C.LockedSemiSyncPrimary, RecoveryFunction.CheckAndRecoverLockedSemiSyncPrimary, true, false, RecoveryGate.None)]
    [InlineData(C.UnreachablePrimary, RecoveryFunction.RestartArbitraryDirectReplica, true, false, RecoveryGate.None)]
    [InlineData(C.UnreachablePrimaryWithBrokenReplicas, RecoveryFunction.RestartAllDirectReplicas, true, false, RecoveryGate.None)]
    [InlineData(C.DeadPrimaryAndReplicas, RecoveryFunction.CheckAndRecoverGenericProblem, false, false, RecoveryGate.None)]
    [InlineData(C.UnreachablePrimaryWithLaggingReplicas, RecoveryFunction.CheckAndRecoverGenericProblem, false, false, RecoveryGate.None)]
    [InlineData(C.AllPrimaryReplicasNotReplicating, RecoveryFunction.CheckAndRecoverGenericProblem, false, false, RecoveryGate.None)]
    [InlineData(C.AllPrimaryReplicasNotReplicatingOrDead, RecoveryFunction.CheckAndRecoverGenericProblem, false, false, RecoveryGate.None)]
    [InlineData(C.InvalidPrimary, RecoveryFunction.None, false, false, RecoveryGate.None)]
    [InlineData(C.InvalidReplica, RecoveryFunction.None, false, false, RecoveryGate.None)]
    [InlineData(C.DeadPrimaryWithoutReplicas, RecoveryFunction.None, false, false, RecoveryGate.None)]
    [InlineData(C.LockedSemiSyncPrimaryHypothesis, RecoveryFunction.None, false, false, RecoveryGate.None)]
    [InlineData(C.PrimarySingleReplicaNotReplicating, RecoveryFunction.None, false, false, RecoveryGate.None)]
    [InlineData(C.PrimarySingleReplicaDead, RecoveryFunction.None, false, false, RecoveryGate.None)]
    [InlineData(C.NoProblem, RecoveryFunction.None, false, false, RecoveryGate.None)]
    public void Each_code_maps_to_its_recovery(string code, RecoveryFunction function, bool actionable, bool shardWide, object gate)
    {
        // The gate as object: a public test method cannot take the internal RecoveryGate.
        var mapped = RecoveryMapping.For(code);
        Assert.Equal(function, mapped.Function);
        Assert.Equal(actionable, mapped.IsActionable);
        Assert.Equal(shardWide, mapped.IsShardWide);
        Assert.Equal(gate, (object)mapped.Gate);
    }

    [Fact]
    public void Every_code_of_the_problem_table_has_a_mapping_entry_or_none_deliberately()
    {
        // Shard-wide detection implies a shard-wide recovery, except PrimaryHasPrimary and the ones without recovery.
        foreach (var problem in AnalysisProblems.All.Where(p => p.HasShardWideAction))
        {
            var mapped = RecoveryMapping.For(problem.Code);
            Assert.True(mapped.IsShardWide || problem.Code is C.PrimaryHasPrimary or C.DeadPrimaryAndReplicas or C.DeadPrimaryWithoutReplicas,
                problem.Code);
        }
    }

    [Fact]
    public void Same_recovery_means_same_function_and_gate()
    {
        Assert.True(RecoveryMapping.For(C.DeadPrimary).IsSameRecoveryAs(RecoveryMapping.For(C.PrimaryDiskStalled)));
        Assert.False(RecoveryMapping.For(C.DeadPrimary).IsSameRecoveryAs(RecoveryMapping.For(C.PrimaryTabletDeleted)));
        Assert.Equal("FixReplica", RecoveryMapping.For(C.ReplicationStopped).FunctionName);
        Assert.Equal("", RecoveryMapping.For(C.InvalidReplica).FunctionName);
    }
}
