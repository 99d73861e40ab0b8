using System.Diagnostics;
using Vtorc.Agent.MySql;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Reads <c>@@read_only</c> on every server every 100 ms over its unix socket (root, reading only) and adds up the
/// time during which two servers were writable at once. Only servers actually read in a round count: a frozen or
/// killed server is not writable to anyone. A round that sees two or more writable servers is confirmed by a second
/// read of them started after the first round finished; only when it still shows two, the round's interval counts.
/// Why that is a proof: if each server changes read_only at most once around the round, A writable in the second
/// read (after B was seen writable) and B writable in the second read (after A was seen writable) leaves an instant
/// at which both were writable, whichever way each was changing. Without the confirmation a correct hand-over
/// (fence A, then promote B) falling between two reads of one round would be counted. A server that the current
/// fault cuts off from the orchestrators is left out until the fault is healed: nobody can fence it (docs/reliability.md).
/// </summary>
internal sealed class ReadOnlySampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    // How long a round waits for answers; a server that is slower is "not read" this round.
    private static readonly TimeSpan RoundWait = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<ChaosServer> _servers;
    private readonly Func<int> _currentFault;
    private readonly Func<IReadOnlySet<string>> _cutOff;
    private readonly Dictionary<string, MySqlConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<bool?>> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<int, double> _twoWritableMsByFault = [];
    private readonly List<string> _episodes = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="cutOff">Servers the current fault cuts off from the orchestrators; not counted while it lasts.</param>
    public ReadOnlySampler(IReadOnlyList<ChaosServer> servers, Func<int> currentFault, Func<IReadOnlySet<string>> cutOff)
    {
        _servers = servers;
        _currentFault = currentFault;
        _cutOff = cutOff;
    }

    /// <summary>Milliseconds with two writable servers, by the fault that was current.</summary>
    public IReadOnlyDictionary<int, double> TwoWritableMsByFault
    {
        get
        {
            lock (_twoWritableMsByFault)
            {
                return new Dictionary<int, double>(_twoWritableMsByFault);
            }
        }
    }

    /// <summary>When and which servers were seen writable together (first round of each episode).</summary>
    public IReadOnlyList<string> Episodes
    {
        get
        {
            lock (_twoWritableMsByFault)
            {
                return [.. _episodes];
            }
        }
    }

    public int Rounds { get; private set; }

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
        var clock = Stopwatch.StartNew();
        var previous = clock.Elapsed;
        var inEpisode = false;
        while (!_stop.IsCancellationRequested)
        {
            var started = clock.Elapsed;
            var fault = _currentFault();
            var writable = await WritableAsync(_servers).ConfigureAwait(false);
            if (writable.Count >= 2)
            {
                var confirmed = await WritableAsync(writable).ConfigureAwait(false);
                // Read after the second read: a server cut off during the round stays out, one healed during it is counted.
                var cutOff = _cutOff();
                confirmed.RemoveAll(s => cutOff.Contains(s.Alias));
                if (confirmed.Count >= 2)
                {
                    var ms = (started - previous).TotalMilliseconds;
                    lock (_twoWritableMsByFault)
                    {
                        _twoWritableMsByFault[fault] = _twoWritableMsByFault.GetValueOrDefault(fault) + ms;
                        if (!inEpisode)
                        {
                            _episodes.Add($"{DateTime.Now:HH:mm:ss.fff} writable together: {string.Join(", ", confirmed.Select(s => s.Alias))}");
                        }
                    }
                    inEpisode = true;
                }
                else
                {
                    inEpisode = false;
                }
            }
            else
            {
                inEpisode = false;
            }
            Rounds++;
            previous = started;
            var rest = Interval - (clock.Elapsed - started);
            try
            {
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The servers among <paramref name="servers"/> that answered within the round and said read_only=0.</summary>
    private async Task<List<ChaosServer>> WritableAsync(IReadOnlyList<ChaosServer> servers)
    {
        var reads = new List<(ChaosServer Server, Task<bool?> Read)>();
        foreach (var server in servers)
        {
            // A server whose previous read has not returned (frozen) gets no second one: it is not read this round.
            if (_inFlight.TryGetValue(server.Alias, out var pending) && !pending.IsCompleted)
            {
                continue;
            }
            var read = Task.Run(() => ReadOnlyAsync(server));
            _inFlight[server.Alias] = read;
            reads.Add((server, read));
        }
        await Task.WhenAny(Task.WhenAll(reads.Select(r => r.Read)), Task.Delay(RoundWait)).ConfigureAwait(false);
        return reads.Where(r => r.Read is { IsCompletedSuccessfully: true, Result: false }).Select(r => r.Server).ToList();
    }

    /// <summary>read_only of <paramref name="server"/>: true, false, or null when it could not be read.</summary>
    private async Task<bool?> ReadOnlyAsync(ChaosServer server)
    {
        MySqlConnection? connection;
        lock (_connections)
        {
            _connections.TryGetValue(server.Alias, out connection);
        }
        try
        {
            using var deadline = new CancellationTokenSource(ReadTimeout * 3);
            connection ??= await MySqlConnection.OpenAsync(server.Root(ReadTimeout), deadline.Token).ConfigureAwait(false);
            lock (_connections)
            {
                _connections[server.Alias] = connection;
            }
            var row = (await connection.QueryAsync("SELECT @@global.read_only", deadline.Token).ConfigureAwait(false)).SingleRowOrDefault();
            return row?[0] switch { "0" => false, "1" => true, _ => null };
        }
        catch (Exception e) when (e is MySqlException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            lock (_connections)
            {
                _connections.Remove(server.Alias);
            }
            connection?.Dispose();
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        lock (_connections)
        {
            foreach (var connection in _connections.Values)
            {
                connection.Dispose();
            }
            _connections.Clear();
        }
        _stop.Dispose();
    }
}
