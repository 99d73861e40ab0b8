using System.Collections.Concurrent;
using System.Globalization;
using Vtorc.Agent.MySql;

namespace Vtorc.LocalCluster;

/// <summary>
/// An application stand-in that keeps a ledger: inserts rows one at a time, each with a fresh id, to the server that
/// accepted the last write, and after any failure to the next server in turn (with one server: that server again),
/// so clients on the primary's side of a partition keep writing. A row is acknowledged only when the server answered
/// OK; an error, a timeout or a dropped connection is not an acknowledgement, and no id is ever retried. The ledger
/// keeps each acknowledged id with its server (docs/reliability.md, "The checker"). Write as an unprivileged account:
/// read_only does not stop a privileged one.
/// </summary>
public sealed class LedgerWriter : IAsyncDisposable
{
    private readonly IReadOnlyList<CheckedServer> _servers;
    private readonly string _table;
    private readonly string _serverColumn;
    private readonly LedgerWriterOptions _options;
    private readonly ConcurrentDictionary<long, LedgerEntry> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _attempts;
    private int _failures;

    /// <param name="servers">Where to write, in the order they are tried.</param>
    /// <param name="table">The ledger table (e.g. <c>test.t</c>): a BIGINT primary key <c>id</c> and the column <paramref name="serverColumn"/>.</param>
    /// <param name="serverColumn">A text column that receives the name of the server each row was sent to.</param>
    public LedgerWriter(IReadOnlyList<CheckedServer> servers, string table, string serverColumn, LedgerWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            throw new ArgumentException("the ledger writer needs at least one server", nameof(servers));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(serverColumn);
        _servers = servers;
        _table = table;
        _serverColumn = serverColumn;
        _options = options ?? new LedgerWriterOptions();
    }

    /// <summary>The ledger: acknowledged ids with the server that acknowledged each.</summary>
    public IReadOnlyDictionary<long, LedgerEntry> Acknowledged => _acknowledged;

    public int AcknowledgedCount => _acknowledged.Count;

    public int AcknowledgedBy(string server) => _acknowledged.Count(a => a.Value.Server == server);

    /// <summary>Inserts attempted so far (acknowledged or not).</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Attempts that failed (not acknowledged).</summary>
    public int Failures => Volatile.Read(ref _failures);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops after the insert in flight; the ledger is final afterwards.</summary>
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
        var next = _options.FirstId;
        var target = 0;
        while (!_stop.IsCancellationRequested)
        {
            var id = next++;
            Interlocked.Increment(ref _attempts);
            var server = _servers[target];
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(_options.AttemptDeadline);
                var phase = _options.CurrentPhase?.Invoke() ?? 0;
                // Given up at the deadline, never killed: an application client's write that waits for an acknowledgement.
                await MySqlCalls.WriteWithoutKillAsync(server.Options,
                    $"INSERT INTO {_table} (id, {_serverColumn}) VALUES ({id.ToString(CultureInfo.InvariantCulture)}, '{server.Name}')", deadline.Token)
                    .ConfigureAwait(false);
                _acknowledged[id] = new LedgerEntry(server.Name, phase);
                await PauseAsync(_options.PauseAfterAcknowledgement).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MySqlCallException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // read-only (1290), refused, killed or frozen server, or no answer in time: not acknowledged; try the next one.
                Interlocked.Increment(ref _failures);
                target = (target + 1) % _servers.Count;
                try
                {
                    await PauseAsync(_options.PauseAfterFailure).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private Task PauseAsync(TimeSpan pause) => pause > TimeSpan.Zero ? Task.Delay(pause, _stop.Token) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
