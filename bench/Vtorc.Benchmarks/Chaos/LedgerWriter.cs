using System.Collections.Concurrent;
using System.Globalization;
using Vtorc.Agent.MySql;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// The application: inserts rows one at a time as the unprivileged account over the unix socket, to the server that
/// accepted the last write, and on any failure to the next server in turn (so clients on the primary's side of a
/// partition keep writing). An insert is acknowledged only when the server answered OK; a failure, a timeout or an
/// ambiguous outcome is never counted, and an id is never retried. Each acknowledged id remembers its server and the
/// fault that was current (the ledger).
/// </summary>
internal sealed class LedgerWriter : IAsyncDisposable
{
    // A write waiting on semi-sync acknowledgements blocks; give up after this and try elsewhere (not acknowledged).
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<ChaosServer> _servers;
    private readonly Func<int> _currentFault;
    private readonly ConcurrentDictionary<long, (string Server, int Fault)> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _failures;

    public LedgerWriter(IReadOnlyList<ChaosServer> servers, Func<int> currentFault)
    {
        _servers = servers;
        _currentFault = currentFault;
    }

    public IReadOnlyDictionary<long, (string Server, int Fault)> Acknowledged => _acknowledged;

    public int Failures => Volatile.Read(ref _failures);

    public void Start() => _loop = Task.Run(RunAsync);

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        long next = 1;
        var target = 0;
        MySqlConnection? connection = null;
        while (!_stop.IsCancellationRequested)
        {
            var id = next++;
            var server = _servers[target];
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(WriteTimeout * 2);
                connection ??= await MySqlConnection.OpenAsync(server.App(WriteTimeout), deadline.Token).ConfigureAwait(false);
                var fault = _currentFault();
                await connection.ExecuteAsync(
                    $"INSERT INTO chaos.ledger (id, server) VALUES ({id.ToString(CultureInfo.InvariantCulture)}, '{server.Alias}')", deadline.Token)
                    .ConfigureAwait(false);
                _acknowledged[id] = (server.Alias, fault);
                // A steady trickle, not a flood: 2 cores are shared with the cluster.
                await Task.Delay(TimeSpan.FromMilliseconds(20), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MySqlException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // read-only (1290), refused, killed or frozen server: not acknowledged; try the next one.
                Interlocked.Increment(ref _failures);
                connection?.Dispose();
                connection = null;
                target = (target + 1) % _servers.Count;
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        connection?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
