using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// What the HTTP pages read from the running daemon, and nothing they could change it with: the shards as the analysis
/// sees them, the current problems, the recoveries, the settings in force and what the health check needs. Changes go
/// through <see cref="IOrchestratorActions"/>, which only the endpoints that act are given.
/// </summary>
public interface IOrchestratorQueries
{
    /// <summary>The daemon's clock, read now.</summary>
    DateTimeOffset Now { get; }

    /// <summary>When the daemon started.</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>The first complete topo refresh has happened (what <c>/debug/health</c> waits for).</summary>
    bool DiscoveredOnce { get; }

    /// <summary>The daemon's shutdown has begun (it may still be waiting for recoveries, or be done).</summary>
    bool IsShuttingDown { get; }

    /// <summary>The options in force, with the dynamic settings as last applied.</summary>
    OrchestratorOptions Options { get; }

    /// <summary>The analysis settings in force.</summary>
    AnalysisSettings AnalysisSettings { get; }

    /// <summary>
    /// Snapshots of every known shard, optionally filtered (shard requires keyspace). Only the requested shards are
    /// built: a query for one shard costs that shard, not the fleet.
    /// </summary>
    IReadOnlyList<ShardSnapshot> Snapshots(string? keyspace = null, string? shard = null);

    /// <summary>The analysis of the filtered shards right now, problems only (the <c>/api/detection-analysis</c> rows).</summary>
    IReadOnlyList<DetectionAnalysis> CurrentProblems(string? keyspace = null, string? shard = null);

    /// <summary>The analysis of every filtered shard right now, including skipped shards and NoProblem rows.</summary>
    IReadOnlyList<ShardAnalysisResult> CurrentAnalysis(string? keyspace = null, string? shard = null);

    /// <summary>
    /// The whole fleet as the recovery tick last analysed it (what the operator page shows), or a new analysis when
    /// there is no recent one: before the first tick, or when the tick has not finished for a few periods.
    /// </summary>
    FleetAnalysis RecentFleetAnalysis();

    /// <summary>
    /// Since when the recovery tick has found (<paramref name="alias"/>, <paramref name="analysis"/>) without a break, from
    /// its last analysis however old (never a new analysis of the fleet); <see cref="Now"/> when the tick has not found it.
    /// </summary>
    DateTimeOffset ProblemDetectedSince(string alias, string analysis);

    /// <summary>What the latest recovery attempt of each current problem came to.</summary>
    IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> RecoveryOutcomes { get; }

    /// <summary>Why the latest poll of each currently failing tablet failed, by alias.</summary>
    IReadOnlyDictionary<string, string> PollErrors { get; }

    /// <summary>Where the history store keeps its data.</summary>
    StoreLocation StoreLocation { get; }

    /// <exception cref="StoreException">The history store failed.</exception>
    Task<bool> IsGlobalRecoveryDisabledAsync(CancellationToken cancellationToken);

    /// <summary>The scopes recoveries are disabled for: global first, then keyspaces, then shards.</summary>
    /// <exception cref="StoreException">The history store failed.</exception>
    Task<IReadOnlyList<RecoveryDisable>> ReadRecoveryDisablesAsync(CancellationToken cancellationToken);

    /// <summary>One page of the recent recoveries with their steps, newest first.</summary>
    /// <exception cref="StoreException">The history store failed.</exception>
    Task<IReadOnlyList<RecoveryRecord>> ReadRecentRecoveriesAsync(int page, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> recoveries of one shard with their steps, newest first.</summary>
    /// <exception cref="StoreException">The history store failed.</exception>
    Task<IReadOnlyList<RecoveryRecord>> ReadShardRecoveriesAsync(string keyspace, string shard, int count, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> planned and emergency reparents operators started on one shard from the page,
    /// with their steps, newest first (never in the recoveries above).</summary>
    /// <exception cref="StoreException">The history store failed.</exception>
    Task<IReadOnlyList<OperatorReparentRecord>> ReadShardOperatorReparentsAsync(string keyspace, string shard, int count, CancellationToken cancellationToken);

    /// <summary>Per shard (<c>keyspace/shard</c>), a number that changes whenever its recorded operator reparents change;
    /// shards without one since the daemon started are absent.</summary>
    IReadOnlyDictionary<string, int> OperatorReparentRevisions { get; }

    /// <summary>The newest finished shard-wide recovery of the shard (what the anti-flapping block counts from), or null.</summary>
    /// <exception cref="StoreException">The history store failed.</exception>
    Task<CompletedRecoveryRecord?> LastCompletedShardWideRecoveryAsync(string keyspace, string shard, CancellationToken cancellationToken);

    /// <summary>Every history table (<c>/api/database-state</c>).</summary>
    /// <exception cref="StoreException">The history store failed.</exception>
    Task<IReadOnlyList<TableState>> DatabaseStateAsync(CancellationToken cancellationToken);
}
