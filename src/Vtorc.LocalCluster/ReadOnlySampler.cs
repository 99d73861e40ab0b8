using MySqlConnector;
using System.Diagnostics;
using Vtorc.Agent.MySql;

namespace Vtorc.LocalCluster;

/// <summary>
/// The checker of "never two writable servers" (docs/reliability.md, "The checker"): reads <c>@@global.read_only</c>
/// on every server in parallel once per <see cref="ReadOnlySamplerOptions.Interval"/> and adds up the time during
/// which two servers were writable at once. Only servers actually read in a round count: a frozen or killed server is
/// not writable to anyone. A round that sees two or more writable servers is confirmed by a second read of them
/// started after the first round finished; only when it still shows two, the round's interval counts. Why that is a
/// proof: if each server changes read_only at most once around the round, A writable in the second read (after B was
/// seen writable) and B writable in the second read (after A was seen writable) leaves an instant at which both were
/// writable, whichever way each was changing. Without the confirmation a correct hand-over (fence A, then promote B)
/// falling between two reads of one round would be counted. Servers in <see cref="ReadOnlySamplerOptions.LeftOut"/>
/// do not count while they are in it.
/// </summary>
public sealed class ReadOnlySampler : IAsyncDisposable
{
    private readonly IReadOnlyList<CheckedServer> _servers;
    private readonly ReadOnlySamplerOptions _options;
    private readonly Dictionary<string, MySqlConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<bool?>> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<int, double> _twoWritableMsByPhase = [];
    private readonly List<string> _episodes = [];
    private readonly HashSet<string> _seenWritable = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _rounds;
    private long _reads;
    private long _writableReads;

    /// <param name="servers">Read as given (the read timeouts of <paramref name="options"/> replace theirs); names must differ.</param>
    public ReadOnlySampler(IReadOnlyList<CheckedServer> servers, ReadOnlySamplerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            throw new ArgumentException("the read_only sampler needs at least one server", nameof(servers));
        }
        if (servers.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"server name \"{twice.Key}\" is given twice to the read_only sampler", nameof(servers));
        }
        _servers = servers;
        _options = options ?? new ReadOnlySamplerOptions();
    }

    /// <summary>The sampler of a local cluster's servers, read as their administrator over TCP every 10 ms.</summary>
    public static ReadOnlySampler Of(IEnumerable<AgentMember> members) =>
        new([.. members.Select(m => new CheckedServer(m.AliasText, m.MySqlOptions))], new ReadOnlySamplerOptions { Interval = TimeSpan.FromMilliseconds(10) });

    /// <summary>Rounds completed.</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    /// <summary>Answers to the first read of a round, from every server.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Answers to the first read of a round that said read_only=0, from every server.</summary>
    public long WritableReads => Interlocked.Read(ref _writableReads);

    /// <summary>Servers seen writable at least once.</summary>
    public IReadOnlyCollection<string> SeenWritable
    {
        get
        {
            lock (_twoWritableMsByPhase)
            {
                return [.. _seenWritable];
            }
        }
    }

    /// <summary>Milliseconds with two writable servers, by the phase that was current at the start of the round.</summary>
    public IReadOnlyDictionary<int, double> TwoWritableMsByPhase
    {
        get
        {
            lock (_twoWritableMsByPhase)
            {
                return new Dictionary<int, double>(_twoWritableMsByPhase);
            }
        }
    }

    /// <summary>When and which servers were seen writable together (first round of each episode); empty when never.</summary>
    public IReadOnlyList<string> Episodes
    {
        get
        {
            lock (_twoWritableMsByPhase)
            {
                return [.. _episodes];
            }
        }
    }

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
            var phase = _options.CurrentPhase?.Invoke() ?? 0;
            var writable = await WritableAsync(_servers, firstRead: true).ConfigureAwait(false);
            if (writable.Count >= 2)
            {
                var confirmed = await WritableAsync(writable, firstRead: false).ConfigureAwait(false);
                // Read after the second read: a server left out during the round stays out, one let in during it is counted.
                if (_options.LeftOut?.Invoke() is { } leftOut)
                {
                    confirmed.RemoveAll(s => leftOut.Contains(s.Name));
                }
                if (confirmed.Count >= 2)
                {
                    var ms = (started - previous).TotalMilliseconds;
                    lock (_twoWritableMsByPhase)
                    {
                        _twoWritableMsByPhase[phase] = _twoWritableMsByPhase.GetValueOrDefault(phase) + ms;
                        if (!inEpisode)
                        {
                            _episodes.Add($"{DateTime.Now:HH:mm:ss.fff} writable together: {string.Join(", ", confirmed.Select(s => s.Name))}");
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
            Interlocked.Increment(ref _rounds);
            previous = started;
            var rest = _options.Interval - (clock.Elapsed - started);
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
    private async Task<List<CheckedServer>> WritableAsync(IReadOnlyList<CheckedServer> servers, bool firstRead)
    {
        var reads = new List<(CheckedServer Server, Task<bool?> Read)>();
        foreach (var server in servers)
        {
            // A server whose previous read has not returned (frozen) gets no second one: it is not read this round.
            if (_inFlight.TryGetValue(server.Name, out var pending) && !pending.IsCompleted)
            {
                continue;
            }
            var read = Task.Run(() => ReadOnlyAsync(server));
            _inFlight[server.Name] = read;
            reads.Add((server, read));
        }
        await Task.WhenAny(Task.WhenAll(reads.Select(r => r.Read)), Task.Delay(_options.AnswerWait)).ConfigureAwait(false);
        var writable = reads.Where(r => r.Read is { IsCompletedSuccessfully: true, Result: false }).Select(r => r.Server).ToList();
        if (firstRead)
        {
            Interlocked.Add(ref _reads, reads.Count(r => r.Read is { IsCompletedSuccessfully: true, Result: not null }));
            Interlocked.Add(ref _writableReads, writable.Count);
            lock (_twoWritableMsByPhase)
            {
                _seenWritable.UnionWith(writable.Select(s => s.Name));
            }
        }
        return writable;
    }

    /// <summary>read_only of <paramref name="server"/>: true, false, or null when it could not be read.</summary>
    private async Task<bool?> ReadOnlyAsync(CheckedServer server)
    {
        MySqlConnection? connection;
        lock (_connections)
        {
            _connections.TryGetValue(server.Name, out connection);
        }
        try
        {
            using var deadline = new CancellationTokenSource(_options.ReadTimeout * 3);
            var options = server.Options with { ConnectTimeout = _options.ReadTimeout, CommandTimeout = _options.ReadTimeout, CancelTimeout = _options.ReadTimeout };
            connection ??= await MySqlCalls.OpenAsync(options, deadline.Token).ConfigureAwait(false);
            lock (_connections)
            {
                _connections[server.Name] = connection;
            }
            var row = (await connection.QueryAsync("SELECT @@global.read_only", deadline.Token).ConfigureAwait(false)).SingleRowOrDefault();
            return row?[0] switch { "0" => false, "1" => true, _ => null };
        }
        catch (Exception e) when (e is MySqlCallException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            lock (_connections)
            {
                _connections.Remove(server.Name);
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
