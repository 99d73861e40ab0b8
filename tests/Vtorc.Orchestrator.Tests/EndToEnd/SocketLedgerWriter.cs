using System.Collections.Concurrent;
using System.Globalization;
using Vtorc.Agent.MySql;

namespace Vtorc.Orchestrator.Tests.EndToEnd;

/// <summary>
/// A client on the primary's side of a partition: inserts rows one by one into one fixed server through its unix
/// socket (which nftables rules on loopback TCP do not affect) and keeps the ledger of the ids whose INSERT was
/// acknowledged. An insert that fails or outlasts its deadline is not acknowledged and its id is never reused.
/// </summary>
internal sealed class SocketLedgerWriter : IAsyncDisposable
{
    private static readonly TimeSpan InsertDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    private readonly MySqlConnectionOptions _options;
    private readonly ConcurrentDictionary<long, bool> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _next;
    private int _failures;

    public SocketLedgerWriter(string socketPath, string user, string password, long firstId)
    {
        _options = new MySqlConnectionOptions
        {
            UnixSocket = socketPath,
            User = user,
            Password = password,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            ReadTimeout = InsertDeadline,
            WriteTimeout = InsertDeadline,
        };
        _next = firstId;
    }

    public IReadOnlyCollection<long> Acknowledged => [.. _acknowledged.Keys];

    public int AcknowledgedCount => _acknowledged.Count;

    /// <summary>Inserts attempted so far (acknowledged or not).</summary>
    public long Attempts => Interlocked.Read(ref _next);

    public int Failures => Volatile.Read(ref _failures);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops after the insert in flight; the ledger is final afterwards.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        MySqlConnection? connection = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                long id = Interlocked.Increment(ref _next) - 1;
                try
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    deadline.CancelAfter(InsertDeadline);
                    connection ??= await MySqlConnection.OpenAsync(_options, deadline.Token);
                    await connection.ExecuteAsync($"INSERT INTO test.t (id, note) VALUES ({id.ToString(CultureInfo.InvariantCulture)}, 'isolated side')", deadline.Token);
                    _acknowledged[id] = true;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Expected once the server refuses writes or stops acknowledging them.
                    Interlocked.Increment(ref _failures);
                    connection?.Dispose();
                    connection = null;
                    // Throttles retries against a server that refuses at once (read-only), to spare a loaded machine.
                    await Task.WhenAny(Task.Delay(RetryPause, _stop.Token));
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
