using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>The daemon's state as the HTTP pages read it (<see cref="IOrchestratorQueries"/>).</summary>
internal sealed class OrchestratorQueries(IShardSnapshots shards, DiscoveryState state, RecoveryPipeline pipeline, LastRecoveryOutcomes outcomes,
    HistoryStore store, OptionsInForce options, DaemonLifecycle lifecycle, OperatorReparentRevisions operatorReparentRevisions, TimeProvider time,
    LatestFleetAnalysis latest) : IOrchestratorQueries
{
    public DateTimeOffset Now => time.GetUtcNow();

    public DateTimeOffset StartedAt => lifecycle.StartedAt;

    public bool DiscoveredOnce => state.FirstDiscoveryCycleComplete;

    public bool IsShuttingDown => lifecycle.ShutdownRequested;

    public OrchestratorOptions Options => options.Current;

    public AnalysisSettings AnalysisSettings => pipeline.Settings.Analysis;

    public IReadOnlyList<ShardSnapshot> Snapshots(string? keyspace = null, string? shard = null)
    {
        if (string.IsNullOrEmpty(keyspace))
        {
            return shards.GetSnapshots();
        }
        if (string.IsNullOrEmpty(shard))
        {
            return shards.GetSnapshots(keyspace);
        }
        return shards.GetSnapshot(keyspace, shard) is { } one ? [one] : [];
    }

    public IReadOnlyList<DetectionAnalysis> CurrentProblems(string? keyspace = null, string? shard = null) =>
        [.. CurrentAnalysis(keyspace, shard).SelectMany(r => r.Analyses).Where(a => a.Analysis != AnalysisCodes.NoProblem)];

    public IReadOnlyList<ShardAnalysisResult> CurrentAnalysis(string? keyspace = null, string? shard = null) =>
        DetectionAnalyzer.AnalyzeAll(Snapshots(keyspace, shard), pipeline.Settings.Analysis, time.GetUtcNow());

    public FleetAnalysis RecentFleetAnalysis()
    {
        var now = time.GetUtcNow();
        if (latest.RecentAt(now, options.Current.RecoveryPollDuration) is { } recent)
        {
            return recent;
        }
        // Not published: only the tick's own analyses carry problems forward, so this one's times start from the tick's.
        var snapshots = shards.GetSnapshots();
        return FleetAnalysis.Following(latest.Current, snapshots, DetectionAnalyzer.AnalyzeAll(snapshots, pipeline.Settings.Analysis, now), now);
    }

    public DateTimeOffset ProblemDetectedSince(string alias, string analysis) =>
        latest.Current is { } tick ? tick.DetectedSince(alias, analysis) : time.GetUtcNow();

    public IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> RecoveryOutcomes => outcomes.All;

    public IReadOnlyDictionary<string, string> PollErrors => state.PollErrors;

    public StoreLocation StoreLocation => store.Location;

    public Task<bool> IsGlobalRecoveryDisabledAsync(CancellationToken cancellationToken) => store.IsGlobalRecoveryDisabledAsync(cancellationToken);

    public Task<IReadOnlyList<RecoveryDisable>> ReadRecoveryDisablesAsync(CancellationToken cancellationToken) =>
        store.ReadRecoveryDisablesAsync(cancellationToken);

    public Task<IReadOnlyList<RecoveryRecord>> ReadRecentRecoveriesAsync(int page, CancellationToken cancellationToken) =>
        store.ReadRecentRecoveriesAsync(page, cancellationToken);

    public Task<IReadOnlyList<RecoveryRecord>> ReadShardRecoveriesAsync(string keyspace, string shard, int count, CancellationToken cancellationToken) =>
        store.ReadShardRecoveriesAsync(keyspace, shard, count, cancellationToken);

    public Task<IReadOnlyList<OperatorReparentRecord>> ReadShardOperatorReparentsAsync(string keyspace, string shard, int count,
        CancellationToken cancellationToken) =>
        store.OperatorReparents.ReadShardAsync(keyspace, shard, count, cancellationToken);

    public IReadOnlyDictionary<string, int> OperatorReparentRevisions => operatorReparentRevisions.Snapshot();

    public Task<CompletedRecoveryRecord?> LastCompletedShardWideRecoveryAsync(string keyspace, string shard, CancellationToken cancellationToken) =>
        store.LastCompletedShardWideRecoveryAsync(keyspace, shard, cancellationToken);

    public Task<IReadOnlyList<TableState>> DatabaseStateAsync(CancellationToken cancellationToken) => store.DatabaseStateAsync(cancellationToken);
}
