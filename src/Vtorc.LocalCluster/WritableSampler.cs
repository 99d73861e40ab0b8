using Vtorc.Agent.MySql;

namespace Vtorc.LocalCluster;

/// <summary>
/// Polls <c>@@global.read_only</c> of every server, over and over, and records any moment when two servers were
/// writable at once. Reads cannot be simultaneous, so each round reads all servers twice in the same order: a
/// server writable on both of its reads was writable in between (during a reparent a server changes at most
/// once), and every other server read in between that was writable too is a proven overlap. A server that cannot be
/// read (down, unreachable) skips the round: the invariant is about servers a client can reach.
/// </summary>
public sealed class WritableSampler : IAsyncDisposable
{
    private readonly IReadOnlyList<AgentMember> _members;
    private readonly MySqlConnection?[] _connections;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _overlaps = [];
    private readonly HashSet<string> _seenWritable = new(StringComparer.Ordinal);
    private Task? _loop;
    private int _rounds;

    public WritableSampler(IReadOnlyList<AgentMember> members)
    {
        _members = members;
        _connections = new MySqlConnection?[members.Count];
    }

    /// <summary>Complete rounds (two passes over every server).</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    public IReadOnlyList<string> Overlaps => _overlaps;

    /// <summary>Servers seen writable at least once.</summary>
    public IReadOnlyCollection<string> SeenWritable => _seenWritable;

    public void Start() => _loop = Task.Run(RunAsync);

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
        int n = _members.Count;
        while (!_stop.IsCancellationRequested)
        {
            var first = await PassAsync();
            var second = await PassAsync();
            if (first is null || second is null)
            {
                continue;
            }
            for (int x = 0; x < n; x++)
            {
                if (!first[x] || !second[x])
                {
                    continue;
                }
                // Reads between x's two reads: later servers of the first pass, earlier servers of the second.
                for (int y = 0; y < n; y++)
                {
                    if (y != x && ((y > x && first[y]) || (y < x && second[y])))
                    {
                        _overlaps.Add($"{_members[x].AliasText} and {_members[y].AliasText} writable at once (round {_rounds})");
                    }
                }
            }
            for (int x = 0; x < n; x++)
            {
                if (first[x] || second[x])
                {
                    _seenWritable.Add(_members[x].AliasText);
                }
            }
            Interlocked.Increment(ref _rounds);
        }
    }

    /// <summary>Writable flags in member order, or null if a server could not be read (the round is skipped).</summary>
    private async Task<bool[]?> PassAsync()
    {
        var writable = new bool[_members.Count];
        for (int i = 0; i < _members.Count; i++)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var connection = _connections[i] ??= await MySqlConnection.OpenAsync(_members[i].MySqlOptions, deadline.Token);
                var result = await connection.QueryAsync("SELECT @@global.read_only", deadline.Token);
                writable[i] = result.Rows[0][0] == "0";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _connections[i]?.Dispose();
                _connections[i] = null;
                return null;
            }
        }
        return writable;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var connection in _connections)
        {
            connection?.Dispose();
        }
        _stop.Dispose();
    }
}
