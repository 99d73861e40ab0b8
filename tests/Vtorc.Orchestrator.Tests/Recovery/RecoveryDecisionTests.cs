using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>Pipeline step 2 (docs/operation-steps.md): analysis code and switches → recovery function and skip
/// reason.</summary>
public sealed class RecoveryDecisionTests
{
    private static DetectionAnalysis A(string code, bool keyspaceErsOff = false, bool shardErsOff = false) => new()
    {
        Analysis = code,
        AnalyzedInstanceAlias = "zone1-0000000100",
        AnalyzedKeyspace = "ks",
        AnalyzedShard = "0",
        AnalyzedKeyspaceEmergencyReparentDisabled = keyspaceErsOff,
        AnalyzedShardEmergencyReparentDisabled = shardErsOff,
    };

    [Theory]
    [InlineData(C.DeadPrimary, RecoveryFunction.RecoverDeadPrimary, null)]
    [InlineData(C.PrimaryTabletDeleted, RecoveryFunction.RecoverPrimaryTabletDeleted, null)]
    [InlineData(C.ClusterHasNoPrimary, RecoveryFunction.ElectNewPrimary, null)]
    [InlineData(C.ReplicationStopped, RecoveryFunction.FixReplica, null)]
    [InlineData(C.ErrantGtidDetected, RecoveryFunction.RecoverErrantGTIDDetected, RecoverySkipReason.NoRecoveryAction)]
    [InlineData(C.InvalidPrimary, RecoveryFunction.None, RecoverySkipReason.NoRecoveryAction)]
    [InlineData("SomethingNew", RecoveryFunction.None, RecoverySkipReason.NoRecoveryAction)]
    public void Default_switches(string code, RecoveryFunction function, RecoverySkipReason? skip)
    {
        var decision = RecoveryDecision.For(A(code), RecoverySettings.Default);
        Assert.Equal((function, skip), (decision.Function, decision.SkipReason));
    }

    [Fact]
    public void Any_disabled_emergency_reparent_switch_skips_the_ers_recoveries_only()
    {
        var off = RecoverySettings.Default with { AllowEmergencyReparent = false };
        Assert.Equal(RecoverySkipReason.EmergencyReparentShardDisabled, RecoveryDecision.For(A(C.DeadPrimary), off).SkipReason);
        Assert.Equal(RecoverySkipReason.EmergencyReparentShardDisabled, RecoveryDecision.For(A(C.PrimaryTabletDeleted, keyspaceErsOff: true), RecoverySettings.Default).SkipReason);
        Assert.Equal(RecoverySkipReason.EmergencyReparentShardDisabled, RecoveryDecision.For(A(C.PrimarySemiSyncBlocked, shardErsOff: true), RecoverySettings.Default).SkipReason);
        Assert.Null(RecoveryDecision.For(A(C.ClusterHasNoPrimary), off).SkipReason);
    }

    [Fact]
    public void Same_recovery_needs_the_same_function_and_skip_reason()
    {
        var settings = RecoverySettings.Default;
        Assert.True(RecoveryDecision.For(A(C.ReplicationStopped), settings).IsSameRecoveryAs(RecoveryDecision.For(A(C.ConnectedToWrongPrimary), settings)));
        Assert.False(RecoveryDecision.For(A(C.ReplicationStopped), settings).IsSameRecoveryAs(RecoveryDecision.For(A(C.PrimaryIsReadOnly), settings)));
        Assert.False(RecoveryDecision.For(A(C.DeadPrimary), settings)
            .IsSameRecoveryAs(RecoveryDecision.For(A(C.DeadPrimary, shardErsOff: true), settings)));
    }

    [Fact]
    public void Settings_name_the_bad_flag()
    {
        var e = Assert.Throws<ArgumentException>(() => (RecoverySettings.Default with { RecoveryPeriodBlockDuration = TimeSpan.FromSeconds(-1) }).Validate());
        Assert.Contains("--recovery-period-block-duration", e.Message);
    }
}
