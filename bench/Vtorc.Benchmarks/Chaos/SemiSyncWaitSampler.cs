using MySqlConnector;
using System.Globalization;
using Vtorc.Agent.MySql;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Under durability semi_sync, measures the time a server was writable without waiting for semi-sync
/// acknowledgements: <c>read_only</c> off while the primary side of semi-sync is off
/// (<c>rpl_semi_sync_master_enabled</c>) or has fallen back to asynchronous commit
/// (<c>Rpl_semi_sync_master_status</c> OFF). In such a window a client can be told "committed" for a write no replica
/// has, which a failover at that moment would lose — the cause of issue 12's finding 6. Every server is read every
/// <see cref="Interval"/> over its unix socket, cut off or not (clients on its side can still write to it); each read
/// that shows the window counts <see cref="Interval"/>.
/// <para>MariaDB's own counter of commits completed without an acknowledgement (<c>Rpl_semi_sync_master_no_tx</c>)
/// cannot serve: it also counts commits whose clients were never told "committed" — the waiters a fence kills, and
/// those released when a demoted primary switches its primary side off after killing them.</para>
/// </summary>
internal sealed class SemiSyncWaitSampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private const string Query =
        "SELECT @@global.read_only, @@global.rpl_semi_sync_master_enabled, "
        + "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_STATUS')";

    private readonly IReadOnlyList<ChaosServer> _servers;
    private readonly Func<int> _currentFault;
    private readonly Dictionary<int, double> _msByFault = [];
    private readonly List<string> _episodes = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loops;

    public SemiSyncWaitSampler(IReadOnlyList<ChaosServer> servers, Func<int> currentFault)
    {
        _servers = servers;
        _currentFault = currentFault;
    }

    /// <summary>Milliseconds a server was writable without waiting for acknowledgements, by the fault that was current.</summary>
    public IReadOnlyDictionary<int, double> MsByFault
    {
        get
        {
            lock (_msByFault)
            {
                return new Dictionary<int, double>(_msByFault);
            }
        }
    }

    /// <summary>When and where such a window began.</summary>
    public IReadOnlyList<string> Episodes
    {
        get
        {
            lock (_msByFault)
            {
                return [.. _episodes];
            }
        }
    }

    public void Start() => _loops = Task.WhenAll(_servers.Select(server => Task.Run(() => WatchAsync(server))));

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loops is not null)
        {
            await _loops.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WatchAsync(ChaosServer server)
    {
        MySqlConnection? connection = null;
        var inWindow = false;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    deadline.CancelAfter(TimeSpan.FromSeconds(1));
                    connection ??= await MySqlCalls.OpenAsync(server.Root(TimeSpan.FromSeconds(1)), deadline.Token).ConfigureAwait(false);
                    var row = (await connection.QueryAsync(Query, deadline.Token).ConfigureAwait(false)).Rows[0];
                    var writable = row[0] == "0";
                    var waits = row[1] == "1" && string.Equals(row[2], "ON", StringComparison.OrdinalIgnoreCase);
                    var window = writable && !waits;
                    if (window)
                    {
                        Count(server, row, first: !inWindow);
                    }
                    inWindow = window;
                }
                catch (Exception e) when (e is MySqlCallException or IOException or OperationCanceledException && !_stop.IsCancellationRequested)
                {
                    // Down, frozen or restarting: nobody commits there now; read it again once it answers.
                    connection?.Dispose();
                    connection = null;
                    inWindow = false;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private void Count(ChaosServer server, MySqlRow row, bool first)
    {
        var fault = _currentFault();
        lock (_msByFault)
        {
            _msByFault[fault] = _msByFault.GetValueOrDefault(fault) + Interval.TotalMilliseconds;
            if (first)
            {
                _episodes.Add($"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {server.Alias} writable without waiting for "
                    + $"semi-sync acknowledgements (rpl_semi_sync_master_enabled={row[1]}, Rpl_semi_sync_master_status={row[2]})");
            }
        }
    }
}
