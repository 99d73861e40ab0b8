using System.Collections.Concurrent;
using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.Topo;

namespace Vtorc.LocalCluster;

/// <summary>
/// An application stand-in: inserts rows one by one on whichever tablet the shard record names as primary, each
/// with a fresh id, and remembers the ids whose INSERT was acknowledged. Failed inserts (read-only, connection
/// lost) are counted, not acknowledged, and never retried with the same id.
/// </summary>
internal sealed class ContinuousWriter : IAsyncDisposable
{
    private readonly AgentCluster _cluster;
    private readonly Func<AgentMember, MySqlConnectionOptions> _options;
    private readonly ConcurrentDictionary<long, string> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _firstId;
    private Task? _loop;
    private int _failures;

    public ContinuousWriter(AgentCluster cluster, Func<AgentMember, MySqlConnectionOptions> options, long firstId = 1_000_000)
    {
        _cluster = cluster;
        _options = options;
        _firstId = firstId;
    }

    /// <summary>Acknowledged ids and the tablet that acknowledged each.</summary>
    public IReadOnlyDictionary<long, string> Acknowledged => _acknowledged;

    public int Failures => Volatile.Read(ref _failures);

    public int AcknowledgedBy(string alias) => _acknowledged.Count(a => a.Value == alias);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops after the insert in flight; the acknowledged set is final afterwards.</summary>
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
        long next = _firstId;
        while (!_stop.IsCancellationRequested)
        {
            long id = next++;
            string? target = null;
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(TimeSpan.FromSeconds(5));
                target = (await _cluster.Topo.Shards.GetAsync((AgentCluster.Keyspace, AgentCluster.Shard), deadline.Token)).Value.PrimaryAlias?.ToText();
                var member = _cluster.Members.FirstOrDefault(m => m.AliasText == target);
                if (member is null)
                {
                    Interlocked.Increment(ref _failures);
                    continue;
                }
                // Given up at the deadline, never killed: an application client's write that waits for an acknowledgement.
                await MySqlCalls.WriteWithoutKillAsync(_options(member),
                    $"INSERT INTO test.t (id, note) VALUES ({id.ToString(CultureInfo.InvariantCulture)}, 'writer')", deadline.Token);
                _acknowledged[id] = target!;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Expected while the primary changes: read-only, a killed server, a stale shard record.
                Interlocked.Increment(ref _failures);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
