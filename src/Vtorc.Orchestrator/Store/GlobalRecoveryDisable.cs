using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The global recovery switch (go/vt/vtorc/logic/disable_recovery.go): a row with value 1 in
/// <c>global_recovery_disable</c> means disabled. In a file-backed store the state survives a restart, unlike VTOrc's
/// always-fresh backend.
/// </summary>
public sealed class GlobalRecoveryDisable(StoreDatabase database, ILogger logger)
{
    /// <summary>A read failure is logged and counts as enabled, so recoveries proceed as VTOrc does.</summary>
    public async Task<bool> IsGlobalRecoveryDisabledAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunAsync(async (connection, ct) =>
                (await SqlCommands.ScalarAsync(connection, null,
                    "SELECT COUNT(*) FROM global_recovery_disable WHERE disable_recovery = 1", ct).ConfigureAwait(false) ?? 0) > 0,
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            logger.LogError(ex, "reading the global recovery switch failed; treating recoveries as enabled");
            return false;
        }
    }

    /// <summary>Idempotent.</summary>
    public Task DisableGlobalRecoveriesAsync(CancellationToken cancellationToken) =>
        WriteAsync("INSERT OR IGNORE INTO global_recovery_disable (disable_recovery) VALUES (1)", "disabling", cancellationToken);

    /// <summary>Deletes every row, and who disabled them (<see cref="RecoveryDisableSwitches"/>); idempotent.</summary>
    public Task EnableGlobalRecoveriesAsync(CancellationToken cancellationToken) =>
        WriteAsync("DELETE FROM global_recovery_disable; DELETE FROM recovery_disable_scope WHERE keyspace = ''", "enabling", cancellationToken);

    private async Task WriteAsync(string sql, string what, CancellationToken cancellationToken)
    {
        try
        {
            await database.RunAsync((connection, ct) => SqlCommands.ExecuteAsync(connection, null, sql, ct), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"{what} global recoveries failed: {ex.Message}", ex);
        }
    }
}
