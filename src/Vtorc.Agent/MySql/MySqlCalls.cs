using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MySqlConnector;

namespace Vtorc.Agent.MySql;

/// <summary>
/// The agent's few ways of talking to mysqld, over MySqlConnector: open a connection, run statements and read every
/// value back as the server's text, with errors that name the server and the (redacted) statement
/// (<see cref="MySqlCallException"/>).
/// </summary>
/// <remarks>
/// <para>Deadlines: <see cref="MySqlConnectionOptions.ConnectTimeout"/> bounds connecting and
/// <see cref="MySqlConnectionOptions.CommandTimeout"/> (or a call's own) each statement.</para>
/// <para>Cancellation: when the token fires, the driver kills the statement on the server (<c>KILL QUERY</c> over a
/// connection of its own) and the call ends with <see cref="OperationCanceledException"/>; the connection stays
/// usable. A server that does not answer at all (stopped, hung) cannot kill anything: the call then ends when its
/// statement's timeout and <see cref="MySqlConnectionOptions.CancelTimeout"/> have passed and the connection is
/// closed. Code that must keep a shorter deadline against such a server gives the connection to a task of its own
/// and stops waiting for it (<see cref="RunOwnedAsync"/>).</para>
/// </remarks>
public static class MySqlCalls
{
    private static readonly ConditionalWeakTable<MySqlConnection, MySqlConnectionOptions> OptionsOf = new();

    /// <summary>
    /// Connects and authenticates (MariaDB's and MySQL's password methods, MySQL 8's <c>caching_sha2_password</c>
    /// included), failing with <see cref="MySqlCallException"/> naming the endpoint and user.
    /// </summary>
    /// <param name="pooled">Take the connection from the driver's pool for these options (see
    /// <see cref="MySqlConnectionOptions"/>); false: a new connection of its own, closed on dispose.</param>
    public static async Task<MySqlConnection> OpenAsync(MySqlConnectionOptions options, CancellationToken cancellationToken, bool pooled = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = new MySqlConnection(options.ConnectionString(pooled));
        OptionsOf.AddOrUpdate(connection, options);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // However the driver reports it, an attempt the caller gave up on is cancelled (a silence check relies on it).
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException($"cancelled while connecting to {options.Endpoint}", e, cancellationToken);
        }
        catch (Exception e) when (MySqlCallException.From(e, connection, query: null, options.Endpoint, options.User) is { } error)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw error;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a connection it owns (opened here, disposed when the work has ended) and waits
    /// for it no longer than <paramref name="cancellationToken"/>: against a server that does not answer, the caller
    /// gets <see cref="OperationCanceledException"/> when the token fires, while the work ends by its own timeouts.
    /// The work gets a token of its own, cancelled from the thread pool after <paramref name="cancellationToken"/> fires,
    /// and must use it rather than the caller's: the driver's KILL QUERY (registered on the token a statement gets)
    /// blocks the cancelling thread while it connects, which must never hold up the caller or whoever cancelled it.
    /// </summary>
    public static async Task<T> RunOwnedAsync<T>(MySqlConnectionOptions options, bool pooled, Func<MySqlConnection, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(work);
        var workCancel = new CancellationTokenSource();
        var forward = cancellationToken.Register(static state => ThreadPool.QueueUserWorkItem(static source =>
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The work ended (and disposed its source) before the cancellation reached it.
            }
        }, (CancellationTokenSource)state!, preferLocal: false), workCancel);
        var owned = RunAsync(workCancel.Token);
        _ = owned.ContinueWith(t =>
        {
            _ = t.Exception;
            forward.Dispose();
            workCancel.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return await owned.WaitAsync(cancellationToken).ConfigureAwait(false);

        async Task<T> RunAsync(CancellationToken token)
        {
            await using var connection = await OpenAsync(options, token, pooled).ConfigureAwait(false);
            return await work(connection, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a write the way a client that gives up on it does: when the token fires the caller stops waiting, but the
    /// statement is neither killed nor timed out, since a <c>KILL QUERY</c> of a commit waiting for a semi-sync
    /// acknowledgement makes MariaDB commit it unacknowledged (docs/reliability.md, "Unacknowledged commits of an old
    /// primary"). The pooled connection it ran on is released once the server ends the statement.
    /// </summary>
    public static Task<long> WriteWithoutKillAsync(MySqlConnectionOptions options, string sql, CancellationToken cancellationToken) =>
        RunOwnedAsync(options, pooled: true,
            (connection, _) => connection.ExecuteAsync(sql, CancellationToken.None, commandTimeout: Timeout.InfiniteTimeSpan), cancellationToken);

    /// <summary>
    /// Runs <paramref name="sql"/> (one statement, or several separated by ';') and returns its first result set, or
    /// for statements without one the rows they changed. Further results are read and dropped; an error in any
    /// statement throws after the earlier ones ran.
    /// </summary>
    /// <param name="commandTimeout">How long the statements may run, instead of the connection's
    /// <see cref="MySqlConnectionOptions.CommandTimeout"/> (e.g. a wait that blocks in the server);
    /// <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    public static async Task<MySqlResult> QueryAsync(this MySqlConnection connection, string sql, CancellationToken cancellationToken,
        TimeSpan? commandTimeout = null) =>
        (await RunAsync(connection, sql, cancellationToken, commandTimeout, all: false).ConfigureAwait(false))[0];

    /// <summary>The first result set (or the rows changed when there is none), or with <paramref name="all"/> every result set.</summary>
    private static async Task<IReadOnlyList<MySqlResult>> RunAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken,
        TimeSpan? commandTimeout, bool all)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(sql);
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new ArgumentException($"query for {EndpointOf(connection)} is empty", nameof(sql));
        }
        try
        {
            await using var command = new MySqlCommand(sql, connection);
            if (commandTimeout is { } timeout)
            {
                // 0: no timeout at all (the driver then never kills the statement by itself).
                command.CommandTimeout = timeout == Timeout.InfiniteTimeSpan ? 0 : (int)MySqlConnectionOptions.WholeSeconds(timeout);
            }
            var results = new List<MySqlResult>(1);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                do
                {
                    if (reader.FieldCount > 0 && (all || results.Count == 0))
                    {
                        results.Add(await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false));
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
                if (results.Count == 0)
                {
                    results.Add(new MySqlResult(MySqlColumns.None, [], Math.Max(0, reader.RecordsAffected)));
                }
            }
            // A statement the server completed while the caller gave up still counts as given up.
            cancellationToken.ThrowIfCancellationRequested();
            return results;
        }
        catch (Exception e) when (e is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // Whatever broke after the caller gave up is its cancellation.
            throw new OperationCanceledException($"cancelled during query on {EndpointOf(connection)}: {QueryRedaction.ForErrorMessage(sql)}", e, cancellationToken);
        }
        catch (Exception e) when (MySqlCallException.From(e, connection, sql, EndpointOf(connection), user: null) is { } error)
        {
            throw error;
        }
    }

    /// <summary>
    /// Runs <paramref name="statements"/>, each of which returns a result set (SELECT, SHOW), in one round trip and
    /// returns their results in order.
    /// </summary>
    public static async Task<IReadOnlyList<MySqlResult>> QueryEachAsync(this MySqlConnection connection, IReadOnlyList<string> statements,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var sql = string.Join(";\n", statements);
        var results = await RunAsync(connection, sql, cancellationToken, commandTimeout: null, all: true).ConfigureAwait(false);
        return results.Count == statements.Count
            ? results
            : throw new InvalidOperationException(
                $"{statements.Count} statements on {EndpointOf(connection)} gave {results.Count} result sets (each must return one): {QueryRedaction.ForErrorMessage(sql)}");
    }

    /// <summary>Runs statements without a result set and returns the rows they changed (summed over all statements).</summary>
    public static async Task<long> ExecuteAsync(this MySqlConnection connection, string sql, CancellationToken cancellationToken,
        TimeSpan? commandTimeout = null) =>
        (await connection.QueryAsync(sql, cancellationToken, commandTimeout).ConfigureAwait(false)).AffectedRows;

    private static async Task<MySqlResult> ReadRowsAsync(MySqlDataReader reader, CancellationToken cancellationToken)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }
        var columns = new MySqlColumns(names);
        var rows = new List<MySqlRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new string?[names.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = AsText(reader.GetValue(i), date: reader.GetDataTypeName(i) == "DATE");
            }
            rows.Add(new MySqlRow(columns, values));
        }
        return new MySqlResult(columns, rows, rows.Count);
    }

    /// <summary>
    /// A function that makes a quoted string literal ('…') for this connection's session: backslashes are escaped unless
    /// the session's sql_mode has NO_BACKSLASH_ESCAPES (read here, one round trip), quotes are always doubled.
    /// </summary>
    public static async Task<Func<string, string>> StringQuoterAsync(this MySqlConnection connection, CancellationToken cancellationToken)
    {
        var mode = await connection.QueryAsync("SELECT @@SESSION.sql_mode", cancellationToken).ConfigureAwait(false);
        var noBackslashEscapes = (mode.Rows[0][0] ?? "").Split(',').Contains("NO_BACKSLASH_ESCAPES", StringComparer.OrdinalIgnoreCase);
        return noBackslashEscapes ? QuoteWithoutBackslashEscapes : Flavors.SqlLiteral.Quote;
    }

    private static string QuoteWithoutBackslashEscapes(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Concat("'", value.Replace("'", "''", StringComparison.Ordinal), "'");
    }

    /// <summary>The server's text for a value the driver decoded (SQL NULL is null).</summary>
    private static string? AsText(object value, bool date) => value switch
    {
        DBNull => null,
        string s => s,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        DateTime d when date => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString(d.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        MySqlDateTime d => string.Create(CultureInfo.InvariantCulture,
            $"{d.Year:0000}-{d.Month:00}-{d.Day:00} {d.Hour:00}:{d.Minute:00}:{d.Second:00}{(d.Microsecond == 0 ? "" : $".{d.Microsecond:000000}")}"),
        TimeSpan t => string.Create(CultureInfo.InvariantCulture,
            $"{(t < TimeSpan.Zero ? "-" : "")}{(int)Math.Abs(t.TotalHours):00}:{Math.Abs(t.Minutes):00}:{Math.Abs(t.Seconds):00}"),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string EndpointOf(MySqlConnection connection) =>
        OptionsOf.TryGetValue(connection, out var options) ? options.Endpoint : connection.DataSource;
}
