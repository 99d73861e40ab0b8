using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

public sealed class GlobalRecoveryDisableTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recoveries_start_enabled_and_disable_enable_are_idempotent(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        Assert.False(await s.Store.IsGlobalRecoveryDisabledAsync(None));

        await s.Store.DisableGlobalRecoveriesAsync(None);
        await s.Store.DisableGlobalRecoveriesAsync(None);
        Assert.True(await s.Store.IsGlobalRecoveryDisabledAsync(None));
        var table = (await s.Store.DatabaseStateAsync(None)).Single(t => t.TableName == "global_recovery_disable");
        Assert.Equal("1", Assert.Single(table.Rows)["disable_recovery"]);

        await s.Store.EnableGlobalRecoveriesAsync(None);
        await s.Store.EnableGlobalRecoveriesAsync(None);
        Assert.False(await s.Store.IsGlobalRecoveryDisabledAsync(None));
    }
}
