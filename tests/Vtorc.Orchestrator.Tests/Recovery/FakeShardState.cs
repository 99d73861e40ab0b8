using System.Collections.Concurrent;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// In-memory stand-in for the daemon's discovery state of one shard. Refreshes and polls are recorded; a test can
/// script what a force-poll observes (<see cref="OnPoll"/>) and what a topo refresh reads (<see cref="OnRefreshShard"/>).
/// </summary>
internal sealed class FakeShardState : IShardStateSource
{
    private readonly Lock _gate = new();
    private readonly DurabilityPolicyRegistry _registry = DurabilityPolicyRegistry.CreateDefault();
    private readonly Dictionary<string, InstanceObservation> _observations;
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly Dictionary<string, Func<InstanceObservation, InstanceObservation>> _onPoll = new(StringComparer.Ordinal);
    private KeyspaceRecord _keyspace;
    private ShardRecord _shard;
    private readonly List<TabletRecord> _tablets;

    public FakeShardState(ShardSnapshot initial)
    {
        _keyspace = initial.Keyspace;
        _shard = initial.Shard;
        _tablets = [.. initial.Tablets];
        _observations = new Dictionary<string, InstanceObservation>(initial.Observations, StringComparer.Ordinal);
    }

    /// <summary>"Poll zone1-…", "RefreshShard ks/0", "RefreshTablets ks/0", in call order.</summary>
    public IReadOnlyList<string> Calls => _calls.ToArray();

    public IReadOnlyList<string> Polls => Calls.Where(c => c.StartsWith("Poll ", StringComparison.Ordinal)).Select(c => c[5..]).ToArray();

    /// <summary>Runs on every topo refresh of the shard, before the records are read.</summary>
    public Action<FakeShardState>? OnRefreshShard { get; set; }

    /// <summary>What the next force-polls of <paramref name="alias"/> observe.</summary>
    public void OnPoll(string alias, Func<InstanceObservation, InstanceObservation> change)
    {
        lock (_gate)
        {
            _onPoll[alias] = change;
        }
    }

    public void SetKeyspace(Func<KeyspaceRecord, KeyspaceRecord> change)
    {
        lock (_gate)
        {
            _keyspace = change(_keyspace);
        }
    }

    public void SetShard(Func<ShardRecord, ShardRecord> change)
    {
        lock (_gate)
        {
            _shard = change(_shard);
        }
    }

    public void Observe(string alias, Func<InstanceObservation, InstanceObservation> change)
    {
        lock (_gate)
        {
            _observations[alias] = change(_observations[alias]);
        }
    }

    public ShardSnapshot Snapshot()
    {
        lock (_gate)
        {
            return ShardSnapshot.Create(_keyspace, _shard, _tablets.ToArray(),
                new Dictionary<string, InstanceObservation>(_observations, StringComparer.Ordinal), _registry);
        }
    }

    /// <summary>The current analysis of <paramref name="alias"/>; fails the test when it has none.</summary>
    public DetectionAnalysis AnalysisOf(string alias) =>
        DetectionAnalyzer.Analyze(Snapshot(), AnalysisSettings.Default, ShardScenario.Now).Analyses.SingleOrDefault(a => a.AnalyzedInstanceAlias == alias)
        ?? throw new Xunit.Sdk.XunitException($"no analysis for {alias}");

    public ShardSnapshot? GetSnapshot(string keyspace, string shard) =>
        keyspace == _keyspace.Name && shard == _shard.Shard ? Snapshot() : null;

    public Task RefreshShardAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"RefreshShard {keyspace}/{shard}");
        OnRefreshShard?.Invoke(this);
        return Task.CompletedTask;
    }

    public Task RefreshTabletsAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"RefreshTablets {keyspace}/{shard}");
        return Task.CompletedTask;
    }

    /// <summary>Recorded as "Probe {alias}", then polled like <see cref="ForcePollAsync"/>.</summary>
    public Task ProbeOnNewConnectionAsync(string tabletAlias, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"Probe {tabletAlias}");
        return ForcePollAsync(tabletAlias, cancellationToken);
    }

    public Task ForcePollAsync(string tabletAlias, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"Poll {tabletAlias}");
        lock (_gate)
        {
            if (_onPoll.TryGetValue(tabletAlias, out var change) && _observations.TryGetValue(tabletAlias, out var current))
            {
                _observations[tabletAlias] = change(current);
            }
        }
        return Task.CompletedTask;
    }
}
