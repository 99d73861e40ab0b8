using BenchmarkDotNet.Attributes;
using Topodata;
using Vtorc.Replication;
using Vtorc.Reparent;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;

namespace Vtorc.Benchmarks.Reparent;

/// <summary>
/// The pure ERS decision (steps 7–13) over 100 reached tablets with MySQL56 positions that share a three-primary
/// history: a chain of relay-log positions with ties, a few RDONLY and other-cell tablets, one backup running, one
/// candidate with an errant GTID and a handful with a shorter reparent journal. Positions are generated from a fixed
/// seed so every run decides the same way.
/// </summary>
[MemoryDiagnoser]
public class ErsDecisionBenchmarks
{
    private const string OldPrimaryUuid = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    private const string EarlierPrimaryUuid = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";
    private const string FirstPrimaryUuid = "cccccccc-cccc-cccc-cccc-cccccccccccc";
    private const string StrayUuid = "dddddddd-dddd-dddd-dddd-dddddddddddd";

    private ErsTabletStatus[] _statuses = [];
    private Dictionary<string, int> _journalLengths = [];
    private ErsValidCandidates _valid = null!;
    private RankedCandidate[] _ranked = [];
    private DurabilityPolicy _policy = null!;
    private TabletInfo _previousPrimary = null!;
    private TabletInfo[] _allTablets = [];
    private string[] _reachedAliases = [];
    private StopReplicationError[] _errors = [];

    [Params(100)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261122);
        var sourceUuid = ServerUuid.Parse(OldPrimaryUuid);
        _policy = DurabilityPolicyRegistry.CreateDefault().Get(DurabilityPolicyNames.SemiSync);
        _previousPrimary = TabletInfo.FromAlias("zone1-0000000100", TabletType.Primary);
        _statuses = new ErsTabletStatus[Candidates];
        _journalLengths = new Dictionary<string, int>(Candidates, StringComparer.Ordinal);
        for (int i = 0; i < Candidates; i++)
        {
            string cell = i % 7 == 0 ? "zone2" : "zone1";
            var type = i % 10 == 9 ? TabletType.Rdonly : TabletType.Replica;
            var tablet = TabletInfo.FromAlias($"{cell}-{101 + i:D10}", type);
            int retrieved = 100_000 - random.Next(0, 40);
            int executed = retrieved - random.Next(0, 3);
            string history = $"{EarlierPrimaryUuid}:1-250000,{FirstPrimaryUuid}:1-80000:80002-90000";
            string stray = i == 42 ? $",{StrayUuid}:1" : "";
            var relayLog = ReplicationPosition.Parse($"MySQL56/{OldPrimaryUuid}:1-{retrieved},{history}{stray}");
            var executedPosition = ReplicationPosition.Parse($"MySQL56/{OldPrimaryUuid}:1-{executed},{history}{stray}");
            _statuses[i] = ErsTabletStatus.Replica(tablet, executedPosition, relayLog, sourceUuid, backupRunning: i == 17);
            _journalLengths[tablet.Alias] = i % 20 == 3 ? 3 : 4;
        }

        _valid = EmergencyReparentDecider.SelectValidCandidates(_statuses);
        _ranked = _valid.Candidates.Select(c => new RankedCandidate(c.Tablet, c.Position, _policy.PromotionRuleOf(c.Tablet))).ToArray();
        _allTablets = [_previousPrimary, .. _statuses.Select(s => s.Tablet)];
        // The dead primary and two RDONLY tablets (which cannot ack under semi_sync) were not reached: revoked.
        string[] unreached = [_statuses[9].Alias, _statuses[19].Alias];
        _reachedAliases = _statuses.Select(s => s.Alias).Except(unreached).ToArray();
        _errors = [new StopReplicationError(_previousPrimary.Alias, "unreachable"), .. unreached.Select(a => new StopReplicationError(a, "timeout"))];

        // Fail fast at setup rather than benchmarking an exception path.
        _ = Decide();
        _ = RevocationCheck();
    }

    /// <summary>Steps 7–13: positions, type restriction, errant-GTID filter, sort, split-brain check, final filters, choice.</summary>
    [Benchmark(Baseline = true)]
    public ErsCandidateDecision Decide()
    {
        var valid = EmergencyReparentDecider.SelectValidCandidates(_statuses);
        return EmergencyReparentDecider.Decide(valid, _journalLengths, _previousPrimary, _policy, ErsOptions.Default);
    }

    /// <summary>Step 10 alone.</summary>
    [Benchmark]
    public ErsErrantGtidResult ErrantGtidFilter() => ErsErrantGtidFilter.Filter(_valid.Candidates, _journalLengths);

    /// <summary>The dominance-count sort alone.</summary>
    [Benchmark]
    public RankedCandidate[] Sort() => CandidateOrdering.Sort(_ranked);

    /// <summary>Step 5 with three unreachable tablets: the revocation check over every tablet.</summary>
    [Benchmark]
    public StopReplicationVerdict RevocationCheck() =>
        ErsStopReplicationCheck.Evaluate(_allTablets, _reachedAliases, _errors, _previousPrimary.Alias, _policy);
}
