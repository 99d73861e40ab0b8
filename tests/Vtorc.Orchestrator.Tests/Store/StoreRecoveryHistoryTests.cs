using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

/// <summary>The recovery pipeline's view of the store: what it writes is what operators read back.</summary>
public sealed class StoreRecoveryHistoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static DetectionAnalysis DeadPrimary() => new()
    {
        Analysis = "DeadPrimary",
        AnalyzedInstanceAlias = "zone1-0000000100",
        AnalyzedKeyspace = "ks",
        AnalyzedShard = "0",
    };

    [Fact]
    public async Task A_recovery_written_through_the_pipeline_interface_reads_back_with_its_steps()
    {
        await using var s = await OpenAsync(fileBacked: false);
        IRecoveryHistory history = new StoreRecoveryHistory(s.Store);
        var detection = await history.RecordDetectionAsync(DeadPrimary(), T0, None);
        var id = await history.TryRegisterRecoveryAsync(new RecoveryRegistration(DeadPrimary(), detection, "RecoverDeadPrimary", true, T0), None);
        Assert.NotNull(id);
        Assert.Null(await history.TryRegisterRecoveryAsync(new RecoveryRegistration(DeadPrimary(), detection, "RecoverDeadPrimary", true, T0), None));

        await history.AddRecoveryStepAsync(id.Value, T0.AddSeconds(1), "promoted replica: zone1-0000000101", None);
        await history.ResolveRecoveryAsync(new RecoveryResolution(id.Value, T0.AddSeconds(2), true, "zone1-0000000101", []), None);

        var record = await s.Store.ReadRecoveryAsync(id.Value, None);
        Assert.NotNull(record);
        Assert.Equal("zone1-0000000101", record.SuccessorAlias);
        Assert.True(record.IsSuccessful);
        Assert.Equal("promoted replica: zone1-0000000101", Assert.Single(record.Steps).Message);

        var last = await history.GetLastCompletedShardWideRecoveryAsync("ks", "0", None);
        Assert.NotNull(last);
        Assert.Equal(id.Value, last.RecoveryId);
        Assert.False(last.Acknowledged);
        await s.Store.AcknowledgeRecoveryAsync(id.Value, "operator", "looked at it", T0.AddSeconds(3), None);
        Assert.True((await history.GetLastCompletedShardWideRecoveryAsync("ks", "0", None))!.Acknowledged);
    }

    [Fact]
    public async Task A_skipped_recovery_becomes_an_audit_entry_naming_the_reason()
    {
        await using var s = await OpenAsync(fileBacked: false, o => o with { AuditToBackend = true });
        IRecoveryHistory history = new StoreRecoveryHistory(s.Store);
        await history.RecordSkippedRecoveryAsync(
            new SkippedRecovery(7, "zone1-0000000100", "DeadPrimary", "ks", "0", "RecoverDeadPrimary", "RecoveryPeriodBlock", "blocked for 12 s", T0), None);

        var audit = (await s.Store.DatabaseStateAsync(None)).Single(t => t.TableName == "audit");
        var row = Assert.Single(audit.Rows);
        Assert.Equal(StoreRecoveryHistory.SkippedRecoveryAuditType, row["audit_type"]);
        Assert.Contains("RecoveryPeriodBlock", row["message"]);
        Assert.Contains("blocked for 12 s", row["message"]);
    }
}
