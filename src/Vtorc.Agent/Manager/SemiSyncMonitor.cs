using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Manager;

/// <summary>
/// Releases stale semi-sync waiters on this tablet's primary, as Vitess's semi-sync monitor does
/// (go/vt/vttablet/tabletmanager/semisyncmonitor/monitor.go): a commit can wait for an acknowledgement that no
/// replica will send for it (e.g. replicas switched semi-sync off and on again while it waited), and only a later
/// commit's acknowledgement releases it. When commits wait and no acknowledgement arrives between two samples, the
/// monitor commits a heartbeat row (<see cref="SemiSyncHeartbeat"/>) on a connection of its own, up to
/// <see cref="MaxOutstandingWrites"/> at a time. FullStatus reports semi_sync_blocked only while a heartbeat has been
/// stuck for <see cref="StuckAfter"/> (acknowledgements really are impossible), see <see cref="WritesStuck"/>.
/// Writes only while the tablet is PRIMARY, its server writable and not being fenced (DemotePrimary).
/// </summary>
public sealed class SemiSyncMonitor : IAsyncDisposable
{
    public const int MaxOutstandingWrites = 3;

    private readonly MySqlActions _mysql;
    private readonly MySqlConnectionOptions _connection;
    private readonly Func<bool> _isPrimary;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _alias;
    private readonly BackgroundLoop _loop;
    private readonly Lock _gate = new();
    private readonly List<DateTimeOffset> _outstanding = [];
    private volatile bool _fenced;
    private bool _tableReady;

    public SemiSyncMonitor(MySqlActions mysql, MySqlConnectionOptions connection, Func<bool> isPrimary, string alias, ILogger logger,
        TimeProvider time, TimeSpan? interval = null, TimeSpan? stuckAfter = null)
    {
        _mysql = mysql;
        _connection = connection;
        _isPrimary = isPrimary;
        _alias = alias;
        _logger = logger;
        _time = time;
        Interval = interval ?? TimeSpan.FromSeconds(1);
        StuckAfter = stuckAfter ?? TimeSpan.FromSeconds(2);
        _loop = new BackgroundLoop($"{alias} semi-sync monitor", logger, RunAsync);
    }

    /// <summary>How often the primary's semi-sync state is sampled.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How long a heartbeat write must wait before acknowledgements count as impossible.</summary>
    public TimeSpan StuckAfter { get; }

    /// <summary>Heartbeat writes acknowledged so far.</summary>
    public long AcknowledgedWrites => Interlocked.Read(ref _acknowledged);

    private long _acknowledged;

    public void Start() => _loop.Start();

    /// <summary>No more heartbeat writes: the server is being demoted (a write there would be errant).</summary>
    public void Fence() => _fenced = true;

    /// <summary>The agent made the server a writable primary again.</summary>
    public void Unfence() => _fenced = false;

    /// <summary>Whether a heartbeat write has waited for an acknowledgement for at least <see cref="StuckAfter"/>.</summary>
    public bool WritesStuck(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _outstanding.Count > 0 && now - _outstanding.Min() >= StuckAfter;
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        SemiSyncState? previous = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _time, stopping).ConfigureAwait(false);
                previous = await SampleAsync(previous).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is MySqlCallException or OperationCanceledException or FormatException)
            {
                previous = null;
                _logger.SemiSyncSampleFailed(_alias, e.Message);
            }
        }
    }

    private async Task<SemiSyncState?> SampleAsync(SemiSyncState? previous)
    {
        if (_fenced || !_isPrimary())
        {
            return null;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_loop.Stopping);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var state = await _mysql.SemiSyncAsync(deadline.Token).ConfigureAwait(false);
        if (!state.PrimaryEnabled || state.PrimaryWaitSessions == 0)
        {
            return null;
        }
        if (previous is null || previous.PrimaryAckedTransactions != state.PrimaryAckedTransactions)
        {
            return state;
        }
        int outstanding;
        lock (_gate)
        {
            outstanding = _outstanding.Count;
        }
        if (outstanding >= MaxOutstandingWrites)
        {
            return state;
        }
        if (await _mysql.ReadOnlyAsync(deadline.Token).ConfigureAwait(false) || _fenced)
        {
            // A read-only primary is being demoted or not yet opened: a write there could be errant.
            return state;
        }
        _logger.SemiSyncHeartbeatCommitting(_alias, state.PrimaryWaitSessions, Interval.TotalSeconds, outstanding);
        var started = _time.GetUtcNow();
        lock (_gate)
        {
            _outstanding.Add(started);
        }
        _ = Task.Run(() => WriteHeartbeatAsync(started));
        return state;
    }

    private async Task WriteHeartbeatAsync(DateTimeOffset started)
    {
        try
        {
            // The write may wait for an acknowledgement for as long as acknowledgements are impossible. The monitor's
            // stop only stops waiting for it: a KILL QUERY of the wait would make MariaDB commit the heartbeat
            // unacknowledged (docs/reliability.md, "Unacknowledged commits of an old primary"), so its statements get
            // neither token nor timeout; the fencing ends it.
            await MySqlCalls.RunOwnedAsync(_connection, pooled: false, async (connection, token) =>
            {
                // A metadata lock must not be mistaken for a missing acknowledgement.
                await connection.ExecuteAsync(ClientConnections.SetLockWait(ClientConnections.LockWaitSeconds), token).ConfigureAwait(false);
                if (!_tableReady && (await connection.QueryAsync(SemiSyncHeartbeat.ExistsQuery, token).ConfigureAwait(false)).Rows.Count > 0)
                {
                    _tableReady = true;
                }
                if (!_tableReady)
                {
                    // Normally created by InitPrimary before semi-sync is on; this DDL itself waits for an acknowledgement.
                    foreach (var statement in SemiSyncHeartbeat.CreateStatements())
                    {
                        await connection.ExecuteAsync(statement, CancellationToken.None, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
                    }
                    _tableReady = true;
                }
                foreach (var statement in SemiSyncHeartbeat.Write(started.ToUnixTimeMilliseconds() * 1000 + Random.Shared.Next(1000)))
                {
                    await connection.ExecuteAsync(statement, CancellationToken.None, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
                }
                return true;
            }, _loop.Stopping).ConfigureAwait(false);
            Interlocked.Increment(ref _acknowledged);
            _logger.SemiSyncHeartbeatAcknowledged(_alias, (_time.GetUtcNow() - started).TotalMilliseconds);
        }
        catch (Exception e) when (e is MySqlCallException or OperationCanceledException)
        {
            if (!_loop.Stopping.IsCancellationRequested)
            {
                _logger.SemiSyncHeartbeatFailed(_alias, e.Message);
            }
        }
        finally
        {
            lock (_gate)
            {
                _outstanding.Remove(started);
            }
        }
    }

    // Heartbeat writes still running observe the loop's token, which stays valid.
    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
