using System.Runtime.InteropServices;
using System.Text;

namespace Vtorc.Agent.MySql;

/// <summary>
/// One MySQL/MariaDB connection through libmariadb. Connector/C calls block, so each one runs on a thread-pool
/// thread while the caller awaits; calls on one connection are serialised by a semaphore.
/// </summary>
/// <remarks>
/// <para>Deadlines: the connector's own timeouts bound every call: <see cref="MySqlConnectionOptions.ConnectTimeout"/>
/// for connecting and <see cref="MySqlConnectionOptions.ReadTimeout"/>/<see cref="MySqlConnectionOptions.WriteTimeout"/>
/// for each network read/write of a statement. A statement that runs longer than the read timeout fails with
/// errno 2013 and the connection is dropped.</para>
/// <para>Cancellation: a blocked libmariadb call cannot be interrupted safely (closing its socket from another
/// thread races with the call's own use of the handle). So when the token fires the awaiting caller gets
/// <see cref="OperationCanceledException"/> at once, the connection is marked broken (<see cref="IsBroken"/>;
/// later calls fail with errno 2006), and the abandoned native call ends by itself within the read timeout,
/// after which the handle is closed if the connection has been disposed meanwhile. Callers should discard a
/// broken connection and open a new one.</para>
/// </remarks>
public sealed class MySqlConnection : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _stateLock = new();
    private IntPtr _handle;
    private bool _inFlight;
    private bool _disposed;
    private string? _brokenReason;

    private MySqlConnection(MySqlConnectionOptions options, IntPtr handle, string serverVersion, long connectionId)
    {
        Options = options;
        _handle = handle;
        ServerVersion = serverVersion;
        ConnectionId = connectionId;
    }

    public MySqlConnectionOptions Options { get; }

    /// <summary>The server's version string from the handshake, e.g. "10.11.19-MariaDB-0+deb12u1-log".</summary>
    public string ServerVersion { get; }

    /// <summary>The server-side connection id (what <c>KILL</c> takes).</summary>
    public long ConnectionId { get; }

    /// <summary>True once the connection was lost, timed out or abandoned by a cancelled call.</summary>
    public bool IsBroken
    {
        get
        {
            lock (_stateLock)
            {
                return _brokenReason is not null;
            }
        }
    }

    /// <summary>Why the connection is broken, or null.</summary>
    public string? BrokenReason
    {
        get
        {
            lock (_stateLock)
            {
                return _brokenReason;
            }
        }
    }

    /// <summary>Connects and authenticates, failing with <see cref="MySqlException"/> naming the endpoint and user.</summary>
    public static async Task<MySqlConnection> OpenAsync(MySqlConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        LibMariaDb.EnsureInitialised();
        var work = Task.Run(() => ConnectNative(options), CancellationToken.None);
        try
        {
            return await work.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up; whatever the native connect produces later must not leak.
            _ = work.ContinueWith(static t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
                else
                {
                    _ = t.Exception;
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Runs <paramref name="sql"/> and returns its first result (all further results are read and dropped).</summary>
    public async Task<MySqlResult> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        var results = await QueryMultipleAsync(sql, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Runs a statement without a result set and returns the affected rows (summed over all statements).</summary>
    public async Task<long> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var results = await QueryMultipleAsync(sql, cancellationToken).ConfigureAwait(false);
        long total = 0;
        foreach (var result in results)
        {
            total += Math.Max(0, result.AffectedRows);
        }
        return total;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> and returns one result per statement. Several statements in one text need
    /// <see cref="MySqlConnectionOptions.AllowMultipleStatements"/>; a stored procedure's CALL returns several
    /// results regardless. An error in any statement throws after the earlier ones ran.
    /// </summary>
    public async Task<IReadOnlyList<MySqlResult>> QueryMultipleAsync(string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new ArgumentException($"query for {Options.Endpoint} is empty", nameof(sql));
        }
        return await RunExclusiveAsync(handle => RunQueryNative(handle, sql), sql, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the server still answers (COM_PING); throws <see cref="MySqlException"/> when it does not.</summary>
    public Task PingAsync(CancellationToken cancellationToken) =>
        RunExclusiveAsync(handle =>
        {
            if (LibMariaDb.mysql_ping(handle) != 0)
            {
                throw ErrorFrom(handle, "/* ping */");
            }
            return true;
        }, "/* ping */", cancellationToken);

    /// <summary>
    /// A quoted string literal ('…') for <paramref name="value"/>, escaped by libmariadb for this connection's
    /// character set and sql_mode (it honours NO_BACKSLASH_ESCAPES as last reported by the server).
    /// </summary>
    public unsafe string QuoteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var source = Encoding.UTF8.GetBytes(value);
        var target = new byte[(source.Length * 2) + 1];
        // No I/O happens here; the lock only keeps the handle from being closed underneath.
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed || _handle == IntPtr.Zero, this);
            nuint length;
            fixed (byte* from = source)
            fixed (byte* to = target)
            {
                length = LibMariaDb.mysql_real_escape_string(_handle, to, from, new CULong((nuint)source.Length)).Value;
            }
            if (length == unchecked((nuint)(-1L)))
            {
                throw new ArgumentException($"value \"{value}\" cannot be escaped for {Options.Endpoint}", nameof(value));
            }
            return string.Concat("'", Encoding.UTF8.GetString(target, 0, (int)length), "'");
        }
    }

    public void Dispose()
    {
        IntPtr handle;
        lock (_stateLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_inFlight)
            {
                // The running native call still uses the handle; it closes it when it returns.
                return;
            }
            handle = _handle;
            _handle = IntPtr.Zero;
        }
        if (handle != IntPtr.Zero)
        {
            LibMariaDb.mysql_close(handle);
        }
    }

    private async Task<T> RunExclusiveAsync<T>(Func<IntPtr, T> call, string what, CancellationToken cancellationToken)
    {
        // Fail fast: an abandoned native call may hold the gate until its read timeout.
        ThrowIfUnusable(what);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        IntPtr handle;
        try
        {
            lock (_stateLock)
            {
                ThrowIfUnusable(what);
                _inFlight = true;
                handle = _handle;
            }
        }
        catch
        {
            _gate.Release();
            throw;
        }

        var work = Task.Run(() =>
        {
            try
            {
                return call(handle);
            }
            finally
            {
                EndNativeCall();
            }
        }, CancellationToken.None);
        try
        {
            return await work.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (!work.IsCompleted)
            {
                MarkBroken($"abandoned by a cancelled caller during: {QueryRedaction.ForErrorMessage(what)}");
            }
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private void ThrowIfUnusable(string what)
    {
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_brokenReason is not null)
            {
                throw new MySqlException(MySqlErrorCode.ServerGone, "HY000",
                    $"connection {ConnectionId} to {Options.Endpoint} is broken ({_brokenReason})", what);
            }
        }
    }

    private void EndNativeCall()
    {
        var handle = IntPtr.Zero;
        lock (_stateLock)
        {
            _inFlight = false;
            if (_disposed)
            {
                handle = _handle;
                _handle = IntPtr.Zero;
            }
        }
        if (handle != IntPtr.Zero)
        {
            LibMariaDb.mysql_close(handle);
        }
        _gate.Release();
    }

    private void MarkBroken(string reason)
    {
        lock (_stateLock)
        {
            _brokenReason ??= reason;
        }
    }

    private static unsafe MySqlConnection ConnectNative(MySqlConnectionOptions options)
    {
        var handle = LibMariaDb.mysql_init(IntPtr.Zero);
        if (handle == IntPtr.Zero)
        {
            throw new MySqlException(2008, "HY000", "mysql_init could not allocate a connection handle", endpoint: options.Endpoint);
        }
        try
        {
            var useSocket = options.UnixSocket is not null;
            SetOption(handle, MySqlOption.ConnectTimeout, MySqlConnectionOptions.WholeSeconds(options.ConnectTimeout));
            SetOption(handle, MySqlOption.ReadTimeout, MySqlConnectionOptions.WholeSeconds(options.ReadTimeout));
            SetOption(handle, MySqlOption.WriteTimeout, MySqlConnectionOptions.WholeSeconds(options.WriteTimeout));
            SetOption(handle, MySqlOption.Protocol, useSocket ? LibMariaDb.ProtocolSocket : LibMariaDb.ProtocolTcp);
            SetOption(handle, MySqlOption.LocalInfile, 0u);
            byte noReconnect = 0;
            Check(MySqlOption.Reconnect, LibMariaDb.mysql_options(handle, MySqlOption.Reconnect, &noReconnect));
            fixed (byte* charset = "utf8mb4\0"u8)
            {
                Check(MySqlOption.SetCharsetName, LibMariaDb.mysql_options(handle, MySqlOption.SetCharsetName, charset));
            }

            var flags = LibMariaDb.ClientMultiResults | (options.AllowMultipleStatements ? LibMariaDb.ClientMultiStatements : 0);
            var connected = LibMariaDb.mysql_real_connect(
                handle,
                useSocket ? "localhost" : options.Host,
                options.User,
                options.Password,
                options.Database,
                useSocket ? 0u : (uint)options.Port,
                options.UnixSocket,
                new CULong((nuint)flags));
            if (connected == IntPtr.Zero)
            {
                throw ErrorFrom(handle, query: null, options.Endpoint, options.User);
            }
            var version = LibMariaDb.Utf8String(LibMariaDb.mysql_get_server_info(handle)) ?? "";
            var id = (long)LibMariaDb.mysql_thread_id(handle).Value;
            return new MySqlConnection(options, handle, version, id);
        }
        catch
        {
            LibMariaDb.mysql_close(handle);
            throw;
        }
    }

    private static unsafe void SetOption(IntPtr handle, MySqlOption option, uint value) =>
        Check(option, LibMariaDb.mysql_options(handle, option, &value));

    private static void Check(MySqlOption option, int rc)
    {
        if (rc != 0)
        {
            throw new InvalidOperationException($"libmariadb rejected connection option {option} ({(int)option}): code {rc}");
        }
    }

    private unsafe IReadOnlyList<MySqlResult> RunQueryNative(IntPtr handle, string sql)
    {
        var text = Encoding.UTF8.GetBytes(sql);
        int rc;
        fixed (byte* query = text)
        {
            rc = LibMariaDb.mysql_real_query(handle, query, new CULong((nuint)text.Length));
        }
        if (rc != 0)
        {
            throw ErrorFrom(handle, sql);
        }

        var results = new List<MySqlResult>(1);
        while (true)
        {
            results.Add(ReadOneResult(handle, sql));
            var next = LibMariaDb.mysql_next_result(handle);
            if (next == -1)
            {
                return results;
            }
            if (next > 0)
            {
                throw ErrorFrom(handle, sql);
            }
        }
    }

    private unsafe MySqlResult ReadOneResult(IntPtr handle, string sql)
    {
        var result = LibMariaDb.mysql_store_result(handle);
        if (result == IntPtr.Zero)
        {
            if (LibMariaDb.mysql_field_count(handle) != 0)
            {
                // A result set was expected but could not be read (e.g. the connection dropped mid-way).
                throw ErrorFrom(handle, sql);
            }
            return new MySqlResult(MySqlColumns.None, [], AsCount(LibMariaDb.mysql_affected_rows(handle)),
                AsCount(LibMariaDb.mysql_insert_id(handle)));
        }
        try
        {
            var fieldCount = LibMariaDb.mysql_num_fields(result);
            var names = new string[fieldCount];
            for (uint i = 0; i < fieldCount; i++)
            {
                // MYSQL_FIELD starts with "char *name"; no other member is read, so the struct layout does not matter.
                var field = (byte**)LibMariaDb.mysql_fetch_field_direct(result, i);
                names[i] = LibMariaDb.Utf8String(*field) ?? "";
            }
            var columns = new MySqlColumns(names);
            var rows = new List<MySqlRow>();
            byte** row;
            while ((row = LibMariaDb.mysql_fetch_row(result)) != null)
            {
                var lengths = LibMariaDb.mysql_fetch_lengths(result);
                var values = new string?[fieldCount];
                for (var i = 0; i < fieldCount; i++)
                {
                    values[i] = row[i] is null ? null : Encoding.UTF8.GetString(row[i], checked((int)lengths[i].Value));
                }
                rows.Add(new MySqlRow(columns, values));
            }
            return new MySqlResult(columns, rows, AsCount(LibMariaDb.mysql_affected_rows(handle)), 0);
        }
        finally
        {
            LibMariaDb.mysql_free_result(result);
        }
    }

    private static long AsCount(ulong value) => value == ulong.MaxValue ? -1 : (long)value;

    private MySqlException ErrorFrom(IntPtr handle, string query)
    {
        var error = ErrorFrom(handle, query, Options.Endpoint, user: null);
        if (error.IsConnectionError)
        {
            MarkBroken(error.Message);
        }
        return error;
    }

    private static unsafe MySqlException ErrorFrom(IntPtr handle, string? query, string endpoint, string? user)
    {
        var errno = (int)LibMariaDb.mysql_errno(handle);
        var sqlState = LibMariaDb.Utf8String(LibMariaDb.mysql_sqlstate(handle));
        var message = LibMariaDb.Utf8String(LibMariaDb.mysql_error(handle));
        return new MySqlException(
            errno,
            string.IsNullOrEmpty(sqlState) ? "HY000" : sqlState,
            string.IsNullOrEmpty(message) ? $"unknown MySQL error {errno}" : message,
            query,
            endpoint,
            user);
    }
}
