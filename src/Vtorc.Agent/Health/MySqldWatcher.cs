using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;
using MySqlConnector;
using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Health;

/// <summary>
/// Watches the agent's mysqld without pause (docs/architecture.md, "The agent's mysqld watcher"): a liveness probe
/// (<c>SELECT 1</c> on a held connection) every <see cref="ProbeInterval"/>, whose answer must come within
/// <see cref="ProbeTimeout"/>, and a sentinel connection parked in a long <c>SELECT SLEEP</c> whose loss wakes the probe
/// at once, so a killed mysqld is seen within a round trip instead of the next probe. <see cref="Error"/> is null while
/// mysqld answers and otherwise names mysqld's address and what went wrong; <see cref="Changed"/> fires when it changes.
/// </summary>
/// <remarks>
/// The watcher uses connections of its own and takes no lock of the RPCs. A stopped (SIGSTOP) mysqld never answers
/// and cannot be told to kill a statement: the probe then stops waiting after <see cref="ProbeTimeout"/> and leaves the
/// statement to the driver's own timeouts, starting no second probe before the first one has ended.
/// </remarks>
public sealed class MySqldWatcher : IAsyncDisposable
{
    /// <summary>How long the sentinel's statement sleeps before it is sent again (the server keeps it running, so
    /// wait_timeout never closes the connection).</summary>
    private const int SentinelSleepSeconds = 600;

    private readonly MySqlConnectionOptions _options;
    private readonly string _alias;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BackgroundLoop _probeLoop;
    private readonly BackgroundLoop _sentinelLoop;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _lock = new();
    private string? _error;

    public MySqldWatcher(MySqlConnectionOptions options, string alias, ILogger logger, TimeProvider time, TimeSpan? probeInterval = null,
        TimeSpan? probeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ProbeInterval = probeInterval ?? TimeSpan.FromMilliseconds(500);
        ProbeTimeout = probeTimeout ?? TimeSpan.FromSeconds(1);
        if (ProbeInterval <= TimeSpan.Zero || ProbeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"mysqld probe interval {ProbeInterval} and timeout {ProbeTimeout} must be positive");
        }
        // The driver's own bounds end a probe the watcher stopped waiting for (whole seconds, at least one).
        _options = options with { ConnectTimeout = ProbeTimeout * 2, CommandTimeout = ProbeTimeout * 2 };
        _alias = alias;
        _logger = logger;
        _time = time;
        _probeLoop = new BackgroundLoop($"{alias} mysqld probe", logger, ProbeLoopAsync);
        _sentinelLoop = new BackgroundLoop($"{alias} mysqld sentinel", logger, SentinelLoopAsync);
    }

    public TimeSpan ProbeInterval { get; }

    public TimeSpan ProbeTimeout { get; }

    /// <summary>Null while mysqld answers (and before the first probe); else why it does not, naming its address.</summary>
    public string? Error
    {
        get
        {
            lock (_lock)
            {
                return _error;
            }
        }
    }

    /// <summary>Fires (on the watcher's task) after <see cref="Error"/> changed; handlers must not block.</summary>
    public event Action? Changed;

    public void Start()
    {
        _probeLoop.Start();
        _sentinelLoop.Start();
    }

    private async Task ProbeLoopAsync(CancellationToken stopping)
    {
        MySqlConnection? connection = null;
        Task? pending = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                pending ??= ProbeAsync();
                try
                {
                    await pending.WaitAsync(ProbeTimeout, _time, stopping).ConfigureAwait(false);
                    pending = null;
                    SetError(null, null);
                }
                catch (TimeoutException)
                {
                    // The probe stays pending: no second statement piles up behind a server that does not answer.
                    SetError($"mysqld at {_options.Endpoint} did not answer SELECT 1 within {ProbeTimeout.TotalMilliseconds:0} ms (stopped or overloaded)",
                        null);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    pending = null;
                    var lost = connection;
                    connection = null;
                    lost?.Dispose();
                    SetError($"mysqld at {_options.Endpoint} is unreachable: {e.Message}", e);
                }
                try
                {
                    // False (the interval passed with nothing to wake the probe earlier) is the usual case.
                    _ = await _wake.WaitAsync(ProbeInterval, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        finally
        {
            if (pending is null)
            {
                connection?.Dispose();
            }
            else
            {
                var abandoned = connection;
                _ = pending.ContinueWith(_ => abandoned?.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        // No token reaches the driver: cancelling would make it connect to mysqld to KILL the statement, which blocks
        // against a stopped server. The driver's own timeouts end the statement instead.
        async Task ProbeAsync()
        {
            if (connection is not null)
            {
                try
                {
                    await connection.QueryAsync("SELECT 1", CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                catch (MySqlCallException e) when (e.IsConnectionError)
                {
                    // A held connection can end while mysqld lives (a fence kills client connections, ClientConnections):
                    // only a fresh connection failing too means mysqld is gone.
                    connection.Dispose();
                    connection = null;
                }
            }
            connection = await MySqlCalls.OpenAsync(_options, CancellationToken.None).ConfigureAwait(false);
            await connection.QueryAsync("SELECT 1", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SentinelLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await MySqlCalls.RunOwnedAsync(_options, pooled: false, async (connection, token) =>
                {
                    while (true)
                    {
                        await connection.QueryAsync($"SELECT SLEEP({SentinelSleepSeconds})", token, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
                    }
#pragma warning disable CS0162 // the loop ends only by an exception
                    return 0;
#pragma warning restore CS0162
                }, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.MySqldSentinelEnded(_alias, e.Message);
            }
            Wake();
            try
            {
                // Reconnecting at once would spin against a dead server; the probe reports the state meanwhile.
                await Task.Delay(ProbeInterval, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    private void SetError(string? error, Exception? cause)
    {
        string? before;
        lock (_lock)
        {
            before = _error;
            if (before == error)
            {
                return;
            }
            _error = error;
        }
        if (error is null)
        {
            _logger.MySqldBack(_alias, _options.Endpoint, before);
        }
        else if (before is null)
        {
            _logger.MySqldLost(_alias, error);
        }
        else
        {
            _logger.MySqldStillLost(cause, _alias, error);
        }
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_probeLoop.StopAsync(), _sentinelLoop.StopAsync()).ConfigureAwait(false);
    }
}
