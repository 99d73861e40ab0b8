using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

/// <summary>Our difference from VTOrc: a file-backed store keeps history and the disable switch across restarts.</summary>
public sealed class PersistenceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Disable_state_and_history_survive_reopening_a_file_backed_store()
    {
        await using var s = await OpenAsync(fileBacked: true, o => o with { AuditToBackend = true });
        var detection = await s.Store.RecordDetectionAsync("zone1-0000000101", "DeadPrimary", "ks", "0", T0, None);
        var recovery = (await s.Store.AttemptRecoveryRegistrationAsync("zone1-0000000101", "DeadPrimary", "ks", "0", detection, T0, None)).RecoveryId!.Value;
        await s.Store.AddRecoveryStepAsync(recovery, "promoted replica: zone1-0000000102", T0.AddSeconds(1), None);
        await s.Store.ResolveRecoveryAsync(recovery, new RecoveryResolutionRecord(true, "zone1-0000000102", []), T0.AddSeconds(2), None);
        await s.Store.AuditAsync("RecoverDeadPrimary", "zone1-0000000101", "ks", "0", "done", T0.AddSeconds(2), None);
        await s.Store.DisableGlobalRecoveriesAsync(None);

        await s.ReopenAsync();

        Assert.True(await s.Store.IsGlobalRecoveryDisabledAsync(None));
        var reread = await s.Store.ReadRecoveryAsync(recovery, None);
        Assert.NotNull(reread);
        Assert.Equal("zone1-0000000102", reread.SuccessorAlias);
        Assert.Equal("promoted replica: zone1-0000000102", Assert.Single(reread.Steps).Message);
        var state = await s.Store.DatabaseStateAsync(None);
        Assert.Single(state.Single(t => t.TableName == "audit").Rows);
        Assert.Single(state.Single(t => t.TableName == "recovery_detection").Rows);
        Assert.True(await s.Store.RecordDetectionAsync("zone1-0000000101", "DeadPrimary", "ks", "0", T0, None) > detection);
    }

    [Fact]
    public async Task Two_in_memory_stores_do_not_share_rows()
    {
        await using var a = await OpenAsync(fileBacked: false);
        await using var b = await OpenAsync(fileBacked: false);
        await a.Store.DisableGlobalRecoveriesAsync(None);
        Assert.False(await b.Store.IsGlobalRecoveryDisabledAsync(None));
    }
}
