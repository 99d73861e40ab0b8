using BenchmarkDotNet.Attributes;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Reparent.Durability;

namespace Vtorc.Benchmarks.Orchestrator;

/// <summary>
/// The daemon's analysis pass as the recovery tick runs it — <see cref="DiscoveryState.Snapshots"/> then
/// <see cref="DetectionAnalyzer.AnalyzeAll"/> — over a <see cref="DiscoveryState"/> filled with
/// <see cref="SyntheticShards"/>, plus the per-poll and per-query reads of one shard. Between passes one tablet per
/// shard gets a fresh observation, as polling does in a second. Target (issue 14): a pass ≤ 20 ms at 10,000 tablets.
/// </summary>
[MemoryDiagnoser]
public class FleetAnalysisPassBenchmarks
{
    private readonly AnalysisSettings _settings = AnalysisSettings.Default;
    private readonly DurabilityPolicyRegistry _policies = DurabilityPolicyRegistry.CreateDefault();
    private DiscoveryState _state = new(TimeSpan.FromSeconds(3));
    private IReadOnlyList<SyntheticShard> _shards = [];
    private SyntheticShard _middle = null!;

    [Params(1000, 10000)]
    public int Tablets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shards = SyntheticShards.Build(Tablets);
        _middle = _shards[_shards.Count / 2];
        _state = SyntheticFleetState.Create(_shards);
    }

    /// <summary>Polling between two passes: every shard has a tablet with a newer observation.</summary>
    [IterationSetup(Target = nameof(FullPassAfterPolls))]
    public void PollOneTabletPerShard() => SyntheticFleetState.PollOneTabletPerShard(_state, _shards, TimeSpan.FromMilliseconds(1));

    [Benchmark]
    public int FullPass() => Pass();

    [Benchmark]
    public int FullPassAfterPolls() => Pass();

    /// <summary>The snapshots alone, without the analysis.</summary>
    [Benchmark]
    public int SnapshotsOnly() => _state.Snapshots(_policies).Count;

    /// <summary>The health tick's scan for tablets due for a poll (every 250 ms).</summary>
    [Benchmark]
    public int DueScan() => _state.OutdatedAliases(SyntheticShards.Now.AddMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(125)).Count;

    [Benchmark]
    public int ObservationsOfOneShard() =>
        _state.ObservationsOfShard(_middle.Keyspace.Name, _middle.Shard.Shard).Count;

    [Benchmark]
    public int SnapshotOfOneShard() =>
        _state.Snapshot(_middle.Keyspace.Name, _middle.Shard.Shard, _policies)?.Tablets.Count ?? 0;

    private int Pass()
    {
        int reported = 0;
        foreach (var result in DetectionAnalyzer.AnalyzeAll(_state.Snapshots(_policies), _settings, SyntheticShards.Now))
        {
            reported += result.Analyses.Count;
        }
        return reported;
    }
}
