using BenchmarkDotNet.Attributes;
using Vtorc.Replication;

namespace Vtorc.Benchmarks.Replication;

/// <summary>
/// GTID set algebra on the sizes long-lived shards reach: 50 server UUIDs with 200 intervals each. Data is
/// generated from a fixed seed so runs are comparable.
/// </summary>
[MemoryDiagnoser]
public class GtidSetBenchmarks
{
    private const int UuidCount = 50;
    private const int IntervalsPerUuid = 200;
    private const int Candidates = 100;

    private string _text = "";
    private string _positionText = "";
    private GtidSet _a = GtidSet.Empty;
    private GtidSet _b = GtidSet.Empty;
    private GtidSet _subsetOfA = GtidSet.Empty;
    private CandidatePosition[] _candidates = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261122);
        var uuids = new ServerUuid[UuidCount + 10];
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < uuids.Length; i++)
        {
            random.NextBytes(bytes);
            uuids[i] = ServerUuid.FromBytes(bytes);
        }
        _a = Generate(random, uuids.AsSpan(0, UuidCount), shift: 0);
        // Same UUIDs shifted by a few transactions (partial overlaps everywhere) plus 10 UUIDs of its own.
        _b = Generate(random, uuids.AsSpan(10, UuidCount), shift: 3);
        // Contained in A with a hole in every UUID: Contains must walk everything to say yes.
        var holes = GtidSet.Create(_a.Uuids.Select(u => (u, new GtidInterval(_a.Intervals(u)[100].Start, _a.Intervals(u)[100].Start))));
        _subsetOfA = _a.Subtract(holes);
        _text = _a.ToString();
        _positionText = "MySQL56/" + _text;

        // 100 ERS candidates: A plus a growing tail on one UUID, executed a little behind combined. Each is
        // parsed from text, as positions arriving from tablets are, so no interval arrays are shared.
        _candidates = new CandidatePosition[Candidates];
        var tailUuid = _a.Uuids[^1];
        long tailStart = _a.Intervals(tailUuid)[^1].End + 1;
        for (int i = 0; i < Candidates; i++)
        {
            var combined = _a.Union(GtidSet.Create(tailUuid, new GtidInterval(tailStart, tailStart + i)));
            var executed = _a.Union(GtidSet.Create(tailUuid, new GtidInterval(tailStart, tailStart + i / 2)));
            _candidates[i] = new CandidatePosition(
                ReplicationPosition.Parse("MySQL56/" + combined), ReplicationPosition.Parse("MySQL56/" + executed));
        }
        random.Shuffle(_candidates);
    }

    private static GtidSet Generate(Random random, ReadOnlySpan<ServerUuid> uuids, long shift)
    {
        var entries = new List<(ServerUuid, GtidInterval)>(uuids.Length * IntervalsPerUuid);
        foreach (var uuid in uuids)
        {
            long next = 1 + shift;
            for (int k = 0; k < IntervalsPerUuid; k++)
            {
                long length = random.Next(1, 50);
                entries.Add((uuid, new GtidInterval(next, next + length - 1)));
                next += length + random.Next(2, 10);
            }
        }
        return GtidSet.Create(entries);
    }

    [Benchmark]
    public GtidSet Parse() => GtidSet.Parse(_text);

    [Benchmark]
    public ReplicationPosition ParsePosition() => ReplicationPosition.Parse(_positionText);

    [Benchmark]
    public GtidSet Union() => _a.Union(_b);

    [Benchmark]
    public GtidSet Subtract() => _a.Subtract(_b);

    [Benchmark]
    public bool ContainsSubset() => _a.Contains(_subsetOfA);

    [Benchmark]
    public bool ContainsOverlapping() => _a.Contains(_b);

    [Benchmark]
    public bool Equal() => _a.Equals(_subsetOfA);

    /// <summary>The ERS ranking work: for each of 100 candidates, how many others strictly dominate it.</summary>
    [Benchmark]
    public int RankCandidates()
    {
        int best = int.MaxValue;
        for (int i = 0; i < _candidates.Length; i++)
        {
            int dominatedBy = 0;
            for (int j = 0; j < _candidates.Length; j++)
            {
                if (i != j && PositionComparison.StrictlyDominates(_candidates[j], _candidates[i]))
                {
                    dominatedBy++;
                }
            }
            best = Math.Min(best, dominatedBy);
        }
        return best;
    }
}
