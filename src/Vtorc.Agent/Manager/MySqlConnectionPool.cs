using MySqlConnector;
using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Manager;

/// <summary>
/// The agent's connections to its own mysqld, from MySqlConnector's pool: idle connections are reused across RPCs
/// and reset (session state cleared) each time one is taken; one that the server closed meanwhile (killed by a
/// fence, mysqld restarted) fails its reset and is replaced by a new one, so a killed connection never serves a call.
/// Each call waits no longer than its token, even when mysqld does not answer at all (stopped, hung): the call then
/// leaves its connection to end by its own timeouts (<see cref="MySqlCalls.RunOwnedAsync"/>); it goes back to the pool
/// only if it is still sound then.
/// </summary>
public sealed class MySqlConnectionPool : IDisposable
{
    private volatile bool _disposed;

    public MySqlConnectionPool(MySqlConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    public MySqlConnectionOptions Options { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection. The work must use the token it is given (not
    /// <paramref name="cancellationToken"/>) so that a cancelled call returns before the driver tries to kill its
    /// statement (<see cref="MySqlCalls.RunOwnedAsync"/>).
    /// </summary>
    public Task<T> RunAsync<T>(Func<MySqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return MySqlCalls.RunOwnedAsync(Options, pooled: true, work, cancellationToken);
    }

    /// <summary>Closes the idle connections, e.g. after mysqld was killed, so the next call connects afresh.</summary>
    public void Clear()
    {
        using var connection = new MySqlConnection(Options.ConnectionString(pooling: true));
        MySqlConnection.ClearPool(connection);
    }

    public void Dispose()
    {
        _disposed = true;
        Clear();
    }
}
