using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Tests.Ui;

/// <summary>
/// A fake daemon for the operator page's unit tests: the shards, outcomes and recoveries are whatever the test sets;
/// the history store answers from <see cref="Recoveries"/> (or fails with <see cref="StoreError"/>).
/// </summary>
internal sealed class FakeOrchestratorQueries : IOrchestratorQueries
{
    private volatile IReadOnlyList<ShardSnapshot> _snapshots = [];

    public DateTimeOffset Now { get; set; } = ShardScenarioNow;

    public static DateTimeOffset ShardScenarioNow => Tests.Analysis.ShardScenario.Now;

    public DateTimeOffset StartedAt => Now.AddHours(-1);

    public bool DiscoveredOnce => true;

    public volatile bool ShuttingDown;

    public bool IsShuttingDown => ShuttingDown;

    public OrchestratorOptions Options { get; set; } = new();

    public AnalysisSettings AnalysisSettings => AnalysisSettings.Default;

    public IReadOnlyList<ShardSnapshot> Fleet
    {
        get => _snapshots;
        set => _snapshots = value;
    }

    public IReadOnlyList<ShardSnapshot> Snapshots(string? keyspace = null, string? shard = null) =>
        [.. _snapshots.Where(s => (string.IsNullOrEmpty(keyspace) || s.Keyspace.Name == keyspace) && (string.IsNullOrEmpty(shard) || s.Shard.Shard == shard))];

    public IReadOnlyList<DetectionAnalysis> CurrentProblems(string? keyspace = null, string? shard = null) =>
        [.. CurrentAnalysis(keyspace, shard).SelectMany(r => r.Analyses).Where(a => a.Analysis != AnalysisCodes.NoProblem)];

    public IReadOnlyList<ShardAnalysisResult> CurrentAnalysis(string? keyspace = null, string? shard = null) =>
        DetectionAnalyzer.AnalyzeAll(Snapshots(keyspace, shard), AnalysisSettings, Now);

    private readonly LatestFleetAnalysis _latest = new();

    /// <summary>Each call stands for one recovery tick: it analyses <see cref="Fleet"/> at <see cref="Now"/>.</summary>
    public FleetAnalysis RecentFleetAnalysis()
    {
        var snapshots = _snapshots;
        return _latest.Publish(snapshots, DetectionAnalyzer.AnalyzeAll(snapshots, AnalysisSettings, Now), Now);
    }

    public DateTimeOffset ProblemDetectedSince(string alias, string analysis) =>
        _latest.Current is { } tick ? tick.DetectedSince(alias, analysis) : Now;

    public IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> RecoveryOutcomes { get; set; } =
        new Dictionary<(string Alias, string Analysis), LastRecoveryOutcome>();

    public IReadOnlyDictionary<string, string> PollErrors { get; set; } = new Dictionary<string, string>();

    public StoreLocation StoreLocation => StoreLocation.FromFlag("");

    public bool GlobalRecoveriesDisabled { get; set; }

    public IReadOnlyList<RecoveryRecord> Recoveries { get; set; } = [];

    public string? StoreError { get; set; }

    public Task<bool> IsGlobalRecoveryDisabledAsync(CancellationToken cancellationToken) => Store(() => GlobalRecoveriesDisabled);

    public IReadOnlyList<RecoveryDisable> Disables { get; set; } = [];

    public Task<IReadOnlyList<RecoveryDisable>> ReadRecoveryDisablesAsync(CancellationToken cancellationToken) => Store(() => Disables);

    public Task<IReadOnlyList<RecoveryRecord>> ReadRecentRecoveriesAsync(int page, CancellationToken cancellationToken) =>
        Store(() => (IReadOnlyList<RecoveryRecord>)[.. Recoveries.OrderByDescending(r => r.RecoveryId).Skip(page * 20).Take(20)]);

    public Task<IReadOnlyList<RecoveryRecord>> ReadShardRecoveriesAsync(string keyspace, string shard, int count, CancellationToken cancellationToken) =>
        Store(() => (IReadOnlyList<RecoveryRecord>)[.. Recoveries.Where(r => r.Keyspace == keyspace && r.Shard == shard).OrderByDescending(r => r.RecoveryId).Take(count)]);

    public IReadOnlyList<OperatorReparentRecord> OperatorReparents { get; set; } = [];

    public IReadOnlyDictionary<string, int> OperatorReparentRevisions { get; set; } = new Dictionary<string, int>();

    public Task<IReadOnlyList<OperatorReparentRecord>> ReadShardOperatorReparentsAsync(string keyspace, string shard, int count,
        CancellationToken cancellationToken) =>
        Store(() => (IReadOnlyList<OperatorReparentRecord>)[.. OperatorReparents.Where(r => r.Keyspace == keyspace && r.Shard == shard)
            .OrderByDescending(r => r.ReparentId).Take(count)]);

    public Task<CompletedRecoveryRecord?> LastCompletedShardWideRecoveryAsync(string keyspace, string shard, CancellationToken cancellationToken) =>
        Store(() => Recoveries.Where(r => r.Keyspace == keyspace && r.Shard == shard && !r.IsActive && RecoveryMapping.For(r.Analysis).IsShardWide)
            .OrderByDescending(r => r.EndRecovery).Select(r => new CompletedRecoveryRecord(r.RecoveryId, r.Alias, r.Analysis, r.EndRecovery!.Value, r.Acknowledgement))
            .FirstOrDefault());

    public Task<IReadOnlyList<TableState>> DatabaseStateAsync(CancellationToken cancellationToken) => Store(() => (IReadOnlyList<TableState>)[]);

    private Task<T> Store<T>(Func<T> read) => StoreError is { } error ? Task.FromException<T>(new StoreException(error)) : Task.FromResult(read());
}
