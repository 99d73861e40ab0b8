using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class HistoryRetentionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Expiry_deletes_old_rows_only(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked, o => o with { AuditToBackend = true });
        var now = T0.AddDays(30);
        var old = now - TimeSpan.FromDays(8);
        var recent = now - TimeSpan.FromDays(6);

        await s.Store.RecordDetectionAsync("zone1-0000000101", "DeadPrimary", "ks", "a", old, None);
        var keptDetection = await s.Store.RecordDetectionAsync("zone1-0000000101", "DeadPrimary", "ks", "a", recent, None);
        var oldRecovery = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "a", 1, old, None)).RecoveryId!.Value;
        await s.Store.AddRecoveryStepAsync(oldRecovery, "old step", old, None);
        await s.Store.ResolveRecoveryAsync(oldRecovery, RecoveryResolutionRecord.Unsuccessful([]), old.AddMinutes(1), None);
        await s.Store.AcknowledgeRecoveryAsync(oldRecovery, "alice", "", old.AddMinutes(2), None);
        var oldActive = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000201", "DeadPrimary", "ks", "b", 2, old, None)).RecoveryId!.Value;
        await s.Store.AddRecoveryStepAsync(oldActive, "still running", old, None);
        var recentRecovery = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "a", 3, recent, None)).RecoveryId!.Value;
        await s.Store.AddRecoveryStepAsync(recentRecovery, "recent step", recent, None);
        await s.Store.AuditAsync("forget", "zone1-0000000101", "ks", "a", "old", old, None);
        await s.Store.AuditAsync("forget", "zone1-0000000101", "ks", "a", "recent", recent, None);
        await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "DeadPrimary", now - TimeSpan.FromHours(241), None);
        await s.Store.RecordAnalysisChangeAsync("zone1-0000000101", "NoProblem", now - TimeSpan.FromHours(239), None);
        var reparents = s.Store.OperatorReparents;
        var oldReparent = (await reparents.StartAsync(OperatorReparentHistory.Planned, "ks", "a", "ui", "zone1-0000000102", old, None))!.Value;
        await reparents.AddStepAsync(oldReparent, old, "old reparent step", None);
        await reparents.EndAsync(oldReparent, true, "zone1-0000000102", "zone1-0000000101", "", old.AddMinutes(1), None);
        var oldRunningReparent = (await reparents.StartAsync(OperatorReparentHistory.Emergency, "ks", "b", "ui", "", old, None))!.Value;
        await reparents.AddStepAsync(oldRunningReparent, old, "reparent still running", None);
        var recentReparent = (await reparents.StartAsync(OperatorReparentHistory.Planned, "ks", "a", "ui", "zone1-0000000101", recent, None))!.Value;
        await reparents.AddStepAsync(recentReparent, recent, "recent reparent step", None);

        // 7.9 days is 7 whole days: the 6-day-old rows stay, the 8-day-old ones go.
        var result = await s.Store.ExpireAsync(now, TimeSpan.FromDays(7.9), None);

        Assert.Null(result.Error);
        Assert.Equal(new ExpiryResult(Detections: 1, Recoveries: 1, RecoverySteps: 1, Acknowledgements: 1, AuditEntries: 1, ChangelogEntries: 1,
            OperatorReparents: 1), result);
        var state = (await s.Store.DatabaseStateAsync(None)).ToDictionary(t => t.TableName, t => t.Rows);
        Assert.Equal([keptDetection.ToString()], state["recovery_detection"].Select(r => r["detection_id"]));
        Assert.Equal([oldActive.ToString(), recentRecovery.ToString()], state["topology_recovery"].Select(r => r["recovery_id"]));
        Assert.Equal(["still running", "recent step"], state["topology_recovery_steps"].Select(r => r["message"]));
        Assert.Empty(state["recovery_acknowledgement"]);
        Assert.Equal(["recent"], state["audit"].Select(r => r["message"]));
        Assert.Equal(["NoProblem"], state["database_instance_analysis_changelog"].Select(r => r["analysis"]));
        Assert.Single(state["database_instance_last_analysis"]);
        // Operator reparents follow the recoveries' rule: a running one is kept whatever its age, with its steps.
        Assert.Equal([oldRunningReparent.ToString(), recentReparent.ToString()], state["operator_reparent"].Select(r => r["reparent_id"]));
        Assert.Equal(["reparent still running", "recent reparent step"], state["operator_reparent_steps"].Select(r => r["message"]));

        // The active recovery kept its shard blocked.
        Assert.False((await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000202", "DeadPrimary", "ks", "b", 4, now, None)).IsRegistered);
    }
}
