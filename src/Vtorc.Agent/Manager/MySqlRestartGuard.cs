using Microsoft.Extensions.Logging;
using MySqlConnector;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.MySql;
using Vtorc.Topo;

namespace Vtorc.Agent.Manager;

/// <summary>
/// Keeps a restarted mysqld read-only unless this tablet is the shard's primary (docs/reliability.md, "Read-only
/// unless primary"). Samples the server's Uptime every <see cref="Interval"/> on a connection of its own; an Uptime
/// lower than the last one, or that connection lost and re-established (a restart always breaks it, however quick),
/// means mysqld may have restarted, and unless
/// the shard record names this tablet as its primary the server is made read-only at once. A server whose own
/// configuration starts it read-only (as it should) never shows a writable moment; this guard shortens the window of
/// one that does not.
/// </summary>
public sealed class MySqlRestartGuard : IAsyncDisposable
{
    private readonly MySqlActions _mysql;
    private readonly MySqlConnectionOptions _connectionOptions;
    private readonly Func<CancellationToken, Task<bool>> _isShardPrimary;
    private readonly Func<CancellationToken, Task<IDisposable>> _lock;
    private readonly string _alias;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public MySqlRestartGuard(MySqlActions mysql, MySqlConnectionOptions connection, Func<CancellationToken, Task<bool>> isShardPrimary, Func<CancellationToken, Task<IDisposable>> actionLock,
        string alias, ILogger logger, TimeProvider time, TimeSpan? interval = null)
    {
        _mysql = mysql;
        _connectionOptions = connection;
        _isShardPrimary = isShardPrimary;
        _lock = actionLock;
        _alias = alias;
        _logger = logger;
        _time = time;
        Interval = interval ?? TimeSpan.FromMilliseconds(250);
    }

    public TimeSpan Interval { get; }

    /// <summary>How long one sample may take; also its statements' own timeout, so a mysqld that stopped answering ends a sample in time.</summary>
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Restarts seen so far (each one answered by the read-only check).</summary>
    public int RestartsSeen => Volatile.Read(ref _restarts);

    private int _restarts;

    /// <summary>Successful samples so far (a restart is only noticed once the guard has sampled the server before it).</summary>
    public int Samples => Volatile.Read(ref _samples);

    private int _samples;

    public void Start() => _loop ??= Task.Run(RunAsync);

    private async Task RunAsync()
    {
        ulong? lastUptime = null;
        string? lastConnectionId = null;
        var lost = false;
        MySqlConnection? connection = null;
        var query = ServerVariables.GlobalStatusQuery(["Uptime"]);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    // The first sample at once: a restart before the guard's first connection would go unseen.
                    if (lastConnectionId is not null || lost)
                    {
                        await Task.Delay(Interval, _time, _stop.Token).ConfigureAwait(false);
                    }
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    deadline.CancelAfter(SampleTimeout);
                    connection ??= await MySqlCalls.OpenAsync(_connectionOptions with { CommandTimeout = SampleTimeout }, deadline.Token).ConfigureAwait(false);
                    var result = await connection.QueryAsync(query, deadline.Token).ConfigureAwait(false);
                    var values = ServerVariables.ToDictionary(RowValues.FromResult(result));
                    var uptime = values.TryGetValue("Uptime", out var text) && ulong.TryParse(text, out var u) ? u : (ulong?)null;
                    // A connection id that changed means the connection was replaced: the server went away in between
                    // (an Uptime that went back can miss a restart within the first seconds).
                    var idResult = await connection.QueryAsync("SELECT CONNECTION_ID()", deadline.Token).ConfigureAwait(false);
                    var connectionId = idResult.Rows[0][0];
                    var reconnected = lastConnectionId is not null && connectionId != lastConnectionId;
                    lastConnectionId = connectionId;
                    lost |= reconnected;
                    var restarted = lost || (uptime is not null && lastUptime is not null && uptime < lastUptime);
                    if (restarted)
                    {
                        Interlocked.Increment(ref _restarts);
                        await EnsureReadOnlyAsync(lost ? "the connection to mysqld was lost and re-established" : $"mysqld's Uptime went back to {uptime} s",
                            deadline.Token).ConfigureAwait(false);
                    }
                    lastUptime = uptime;
                    lost = false;
                    Interlocked.Increment(ref _samples);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    // Whatever failed, the guard goes on: it is the last line keeping a restarted server read-only.
                    // The next answer is treated as a restart (a restart seen but not yet answered is answered then).
                    if (!lost)
                    {
                        _logger.RestartGuardMySqldLost(_alias, e.Message);
                    }
                    lost = true;
                    connection?.Dispose();
                    connection = null;
                    lastConnectionId = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task EnsureReadOnlyAsync(string why, CancellationToken cancellationToken)
    {
        using var held = await _lock(cancellationToken).ConfigureAwait(false);
        if (await _isShardPrimary(cancellationToken).ConfigureAwait(false))
        {
            _logger.RestartGuardPrimaryUnchanged(_alias, why);
            return;
        }
        await _mysql.SetReadOnlyAsync(true, cancellationToken).ConfigureAwait(false);
        _logger.RestartGuardMadeReadOnly(_alias, why);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
