using BenchmarkDotNet.Attributes;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Benchmarks.Orchestrator;

/// <summary>
/// One full detection pass (every shard analysed once) over the prebuilt snapshots of <see cref="SyntheticShards"/>:
/// the analyzer alone. <see cref="FleetAnalysisPassBenchmarks"/> adds building the snapshots from discovery's state.
/// The design target is ≤ 20 ms for 10,000 tablets.
/// </summary>
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private ShardSnapshot[] _snapshots = [];
    private readonly AnalysisSettings _settings = AnalysisSettings.Default;

    [Params(100, 1000, 10000)]
    public int Tablets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var registry = DurabilityPolicyRegistry.CreateDefault();
        _snapshots = [.. SyntheticShards.Build(Tablets)
            .Select(s => ShardSnapshot.Create(s.Keyspace, s.Shard, s.Tablets, s.Observations, registry))];
    }

    [Benchmark]
    public int FullPass()
    {
        int reported = 0;
        foreach (var snapshot in _snapshots)
        {
            reported += DetectionAnalyzer.Analyze(snapshot, _settings, SyntheticShards.Now).Analyses.Count;
        }
        return reported;
    }
}
