using System.Collections.Concurrent;
using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Manager;

/// <summary>
/// The agent's connections to its own mysqld: a few idle connections reused across RPCs, opened lazily, so a
/// mysqld that went away costs one failed connect per call (fast while nothing listens) and is picked up again
/// as soon as it is back. A connection that failed or was abandoned by a cancelled call is thrown away.
/// </summary>
public sealed class MySqlConnectionPool : IDisposable
{
    private const int MaxIdle = 4;

    /// <summary>Added to a server-side wait so that the connector's read timeout never fires first.</summary>
    private static readonly TimeSpan WaitReadMargin = TimeSpan.FromSeconds(5);

    private readonly ConcurrentQueue<MySqlConnection> _idle = new();
    private volatile bool _disposed;

    public MySqlConnectionPool(MySqlConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    public MySqlConnectionOptions Options { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection. With <paramref name="serverWait"/> (a statement that
    /// blocks in the server, such as a position wait) a dedicated connection is opened whose read timeout outlasts
    /// the wait, and closed afterwards.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<MySqlConnection, Task<T>> work, CancellationToken cancellationToken, TimeSpan? serverWait = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var dedicated = serverWait is not null;
        var connection = dedicated
            ? await MySqlConnection.OpenAsync(Options with
            {
                ReadTimeout = Max(Options.ReadTimeout, serverWait!.Value + WaitReadMargin),
            }, cancellationToken).ConfigureAwait(false)
            : await RentAsync(cancellationToken).ConfigureAwait(false);
        var reusable = false;
        try
        {
            var result = await work(connection).ConfigureAwait(false);
            reusable = !dedicated;
            return result;
        }
        catch (MySqlException e) when (!e.IsConnectionError)
        {
            // A statement error leaves the connection usable.
            reusable = !dedicated;
            throw;
        }
        finally
        {
            if (reusable && !connection.IsBroken && !_disposed && _idle.Count < MaxIdle)
            {
                _idle.Enqueue(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Closes the idle connections, e.g. after mysqld restarted, so the next call connects afresh.</summary>
    public void Clear()
    {
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Clear();
    }

    private async Task<MySqlConnection> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryDequeue(out var idle))
        {
            if (idle.IsBroken)
            {
                idle.Dispose();
                continue;
            }
            try
            {
                // A ping fails at once when mysqld restarted meanwhile, so the call gets a fresh connection
                // instead of failing on a dead one.
                await idle.PingAsync(cancellationToken).ConfigureAwait(false);
                return idle;
            }
            catch (MySqlException e) when (e.IsConnectionError)
            {
                idle.Dispose();
                Clear();
            }
            catch
            {
                idle.Dispose();
                throw;
            }
        }
        return await MySqlConnection.OpenAsync(Options, cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
