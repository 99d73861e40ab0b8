using Microsoft.Data.Sqlite;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The one SQLite connection of the store. Every statement runs behind a single gate, so the daemon never meets
/// SQLITE_BUSY from itself; the busy timeout only covers another process (an operator's sqlite3) touching the file.
/// For in-memory stores the open connection is what keeps the database alive.
/// </summary>
public sealed class StoreDatabase : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private StoreDatabase(SqliteConnection connection, StoreLocation location)
    {
        _connection = connection;
        Location = location;
    }

    public StoreLocation Location { get; }

    /// <summary>Opens (creating when missing) the database and its schema; any failure names the data file.</summary>
    public static async Task<StoreDatabase> OpenAsync(StoreLocation location, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(location.ConnectionString(busyTimeout));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}", cancellationToken).ConfigureAwait(false);
            if (!location.InMemory)
            {
                await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL", cancellationToken).ConfigureAwait(false);
            }
            await CreateSchemaAsync(connection, location, cancellationToken).ConfigureAwait(false);
            return new StoreDatabase(connection, location);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StoreOpenException($"--sqlite-data-file {location}: cannot open the history store: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CreateSchemaAsync(SqliteConnection connection, StoreLocation location, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in StoreSchema.CreateStatements)
            await ExecuteAsync(connection, statement, cancellationToken, transaction).ConfigureAwait(false);

        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT MAX(version) FROM schema_version";
        var found = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (found is null or DBNull)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO schema_version (version) VALUES ($v)";
            insert.Parameters.AddWithValue("$v", StoreSchema.Version);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (Convert.ToInt64(found, System.Globalization.CultureInfo.InvariantCulture) is var version && version > StoreSchema.Version)
        {
            throw new StoreOpenException(
                $"--sqlite-data-file {location}: schema version {found} was written by a newer vtorc (this one knows {StoreSchema.Version})");
        }
        else if (version < StoreSchema.Version)
        {
            // 1 → 2 only added recovery_disable_scope, 2 → 3 only operator_reparent and its steps, all created above
            // (a version-1 file goes to 3 at once); a global disable kept from version 1 is listed without who and when.
            await using var upgrade = connection.CreateCommand();
            upgrade.Transaction = transaction;
            upgrade.CommandText = "UPDATE schema_version SET version = $v";
            upgrade.Parameters.AddWithValue("$v", StoreSchema.Version);
            await upgrade.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken,
        SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> alone on the connection.</summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await work(_connection, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> alone on the connection inside one transaction, committed on success.</summary>
    public Task<T> RunInTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var result = await work(connection, transaction, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
