using Microsoft.Data.Sqlite;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The recovery switches of every scope: the global one (on/off in VTOrc's <c>global_recovery_disable</c>, who and
/// why in our <c>recovery_disable_scope</c>) and ours per keyspace and per shard (<c>recovery_disable_scope</c>).
/// Kept across restarts with a file-backed store.
/// </summary>
public sealed class RecoveryDisableSwitches(StoreDatabase database)
{
    private const string GlobalMarkedDisabled = "SELECT COUNT(*) FROM global_recovery_disable WHERE disable_recovery = 1";

    /// <summary>Every disabled scope: global first, then keyspaces, then shards, each by name.</summary>
    public async Task<IReadOnlyList<RecoveryDisable>> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunAsync(async (connection, ct) =>
            {
                bool global = (await SqlCommands.ScalarAsync(connection, null, GlobalMarkedDisabled, ct).ConfigureAwait(false) ?? 0) > 0;
                var disables = new List<RecoveryDisable>();
                await using var command = SqlCommands.Create(connection,
                    "SELECT keyspace, shard, disabled_by, reason, disabled_at FROM recovery_disable_scope ORDER BY keyspace = '' DESC, shard = '' DESC, keyspace, shard",
                    null);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var scope = RecoveryScope.FromColumns(reader.GetString(0), reader.GetString(1));
                    if (scope.Kind == RecoveryScopeKind.Global && !global)
                    {
                        continue;
                    }
                    disables.Add(new RecoveryDisable(scope, reader.GetString(2), reader.GetString(3), StoreTime.Parse(reader.GetString(4))));
                }
                if (global && (disables.Count == 0 || disables[0].Scope.Kind != RecoveryScopeKind.Global))
                {
                    // Disabled through a path that does not say who (a store written before version 2).
                    disables.Insert(0, new RecoveryDisable(RecoveryScope.Global, "", "", null));
                }
                return (IReadOnlyList<RecoveryDisable>)disables;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"reading the disabled recoveries failed: {ex.Message}", ex);
        }
    }

    /// <summary>Disables recoveries for <paramref name="scope"/>; disabling again replaces who and why.</summary>
    public Task DisableAsync(RecoveryScope scope, string disabledBy, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(disabledBy);
        ArgumentNullException.ThrowIfNull(reason);
        return WriteAsync(scope, "disabling", async (connection, transaction, ct) =>
        {
            if (scope.Kind == RecoveryScopeKind.Global)
            {
                await SqlCommands.ExecuteAsync(connection, transaction, "INSERT OR IGNORE INTO global_recovery_disable (disable_recovery) VALUES (1)", ct)
                    .ConfigureAwait(false);
            }
            await SqlCommands.ExecuteAsync(connection, transaction,
                "INSERT OR REPLACE INTO recovery_disable_scope (keyspace, shard, disabled_by, reason, disabled_at) VALUES ($keyspace, $shard, $by, $reason, $at)",
                ct, ("$keyspace", scope.Keyspace), ("$shard", scope.Shard), ("$by", disabledBy), ("$reason", reason), ("$at", StoreTime.ToText(now)))
                .ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Enables recoveries for <paramref name="scope"/> (only that row: a keyspace's enable leaves its shards' disables).</summary>
    /// <returns>Whether the scope was disabled.</returns>
    public Task<bool> EnableAsync(RecoveryScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return WriteAsync(scope, "enabling", async (connection, transaction, ct) =>
        {
            int removed = 0;
            if (scope.Kind == RecoveryScopeKind.Global)
            {
                removed += await SqlCommands.ExecuteAsync(connection, transaction, "DELETE FROM global_recovery_disable", ct).ConfigureAwait(false);
            }
            int rows = await SqlCommands.ExecuteAsync(connection, transaction,
                "DELETE FROM recovery_disable_scope WHERE keyspace = $keyspace AND shard = $shard", ct,
                ("$keyspace", scope.Keyspace), ("$shard", scope.Shard)).ConfigureAwait(false);
            return scope.Kind == RecoveryScopeKind.Global ? removed > 0 : rows > 0;
        }, cancellationToken);
    }

    private Task WriteAsync(RecoveryScope scope, string what, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> write,
        CancellationToken cancellationToken) =>
        WriteAsync(scope, what, async (connection, transaction, ct) =>
        {
            await write(connection, transaction, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async Task<T> WriteAsync<T>(RecoveryScope scope, string what, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write,
        CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunInTransactionAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"{what} recoveries {scope} failed: {ex.Message}", ex);
        }
    }
}
