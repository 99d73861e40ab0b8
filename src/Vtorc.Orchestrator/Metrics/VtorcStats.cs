namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// The stats VTOrc exports (registered in go/vt/vtorc/logic/ and go/vt/vtorc/inst/), with Vitess's names, kinds and
/// label names. Label names of multi-label stats are snake-cased for Prometheus; single-label stats and timings keep
/// theirs (see <see cref="StatDefinition.IsMultiLabel"/>).
/// </summary>
internal static class VtorcStats
{
    private static readonly string[] RecoveryLabels = ["RecoveryType", "Keyspace", "Shard"];

    public static StatDefinition PendingRecoveries { get; } =
        StatDefinition.Plain("PendingRecoveries", StatKind.Gauge, "Recovery attempts (check-and-recover runs) in progress");

    public static StatDefinition RecoveriesCount { get; } =
        StatDefinition.MultiLabel("RecoveriesCount", StatKind.Counter, "Recoveries started, by recovery type and shard", RecoveryLabels);

    public static StatDefinition SuccessfulRecoveries { get; } =
        StatDefinition.MultiLabel("SuccessfulRecoveries", StatKind.Counter, "Recoveries that succeeded, by recovery type and shard", RecoveryLabels);

    public static StatDefinition FailedRecoveries { get; } =
        StatDefinition.MultiLabel("FailedRecoveries", StatKind.Counter, "Recoveries that failed, by recovery type and shard", RecoveryLabels);

    public static StatDefinition SkippedRecoveries { get; } =
        StatDefinition.MultiLabel("SkippedRecoveries", StatKind.Counter, "Detected problems not recovered, by recovery type, shard and reason",
            [.. RecoveryLabels, "Reason"]);

    public static StatDefinition DetectedProblems { get; } =
        StatDefinition.MultiLabel("DetectedProblems", StatKind.Gauge, "Problems currently detected (1 per active analysis and tablet)",
            "Analysis", "TabletAlias", "Keyspace", "Shard");

    public static StatDefinition ShardLocksActive { get; } =
        StatDefinition.Plain("ShardLocksActive", StatKind.Gauge, "Shard locks currently held by this VTOrc");

    public static StatDefinition ShardLockTimings { get; } =
        StatDefinition.Timings("ShardLockTimings", "Time taken to lock and unlock shards", "Action", "Lock", "Unlock");

    public static StatDefinition DiscoveriesAttempt { get; } =
        StatDefinition.Plain("DiscoveriesAttempt", StatKind.Counter, "Tablet polls started");

    public static StatDefinition DiscoveriesFail { get; } =
        StatDefinition.Plain("DiscoveriesFail", StatKind.Counter, "Tablet polls that failed");

    public static StatDefinition DiscoveriesInstancePollSecondsExceeded { get; } =
        StatDefinition.Plain("DiscoveriesInstancePollSecondsExceeded", StatKind.Counter, "Tablet polls that took longer than --instance-poll-time");

    public static StatDefinition DiscoveriesQueueLength { get; } =
        StatDefinition.Plain("DiscoveriesQueueLength", StatKind.Gauge, "Tablets waiting in the discovery queue");

    public static StatDefinition DiscoveriesRecentCount { get; } =
        StatDefinition.Plain("DiscoveriesRecentCount", StatKind.Gauge, "Tablets in the recent-discovery cache");

    public static StatDefinition DiscoveryWorkers { get; } =
        StatDefinition.Plain("DiscoveryWorkers", StatKind.Gauge, "Size of the discovery worker pool");

    public static StatDefinition DiscoveryWorkersActive { get; } =
        StatDefinition.Plain("DiscoveryWorkersActive", StatKind.Gauge, "Discovery workers currently polling a tablet");

    public static StatDefinition DiscoveryInstanceTimings { get; } =
        StatDefinition.Timings("DiscoveryInstanceTimings", "Time spent per tablet poll: the FullStatus call (Instance), storing the result (Backend) and the rest (Other)",
            "Action", "Backend", "Instance", "Other");

    public static StatDefinition InstanceRead { get; } =
        StatDefinition.Plain("InstanceRead", StatKind.Counter, "Reads of a stored instance");

    public static StatDefinition InstanceReadTopology { get; } =
        StatDefinition.Plain("InstanceReadTopology", StatKind.Counter, "FullStatus polls that returned a status");

    public static StatDefinition AnalysisChangeWrite { get; } =
        StatDefinition.Plain("AnalysisChangeWrite", StatKind.Counter, "Analysis changelog rows written");

    public static StatDefinition AuditWrite { get; } =
        StatDefinition.Plain("AuditWrite", StatKind.Counter, "Audit records written");

    public static StatDefinition CurrentErrantGtidCount { get; } =
        StatDefinition.SingleLabel("CurrentErrantGTIDCount", StatKind.Gauge, "Errant GTID transactions per tablet", "TabletAlias");

    public static StatDefinition ErrantGtidTabletCount { get; } =
        StatDefinition.Plain("ErrantGtidTabletCount", StatKind.Gauge, "Tablets that have errant GTIDs");

    public static StatDefinition TabletsWatchedByCell { get; } =
        StatDefinition.SingleLabel("TabletsWatchedByCell", StatKind.Gauge, "Tablets watched, per cell", "Cell");

    public static StatDefinition TabletsWatchedByShard { get; } =
        StatDefinition.MultiLabel("TabletsWatchedByShard", StatKind.Gauge, "Tablets watched, per shard", "Keyspace", "Shard");

    public static StatDefinition EmergencyReparentShardDisabled { get; } =
        StatDefinition.MultiLabel("EmergencyReparentShardDisabled", StatKind.Gauge, "1 for each shard whose emergency reparents are disabled",
            "Keyspace", "Shard");

    // Our additions (not Vitess stats; docs/vitess-compatibility.md): how long the recovery tick's analysis pass takes — snapshots of every
    // watched shard from discovery's state plus the detection analysis of each.
    public static StatDefinition AnalysisPassTimings { get; } =
        StatDefinition.Timings("AnalysisPassTimings", "Time taken by each analysis pass of the recovery tick (snapshot every shard, analyse it)",
            "Action", "Pass");

    public static StatDefinition AnalysisPassLastMicroseconds { get; } =
        StatDefinition.Plain("AnalysisPassLastMicroseconds", StatKind.Gauge, "Duration of the latest analysis pass, in microseconds");

    // Our additions: the tablets' health streams (docs/reliability.md, "Push detection").
    public static StatDefinition HealthStreamsConnected { get; } =
        StatDefinition.Plain("HealthStreamsConnected", StatKind.Gauge, "Tablet health streams open and delivering messages");

    public static StatDefinition HealthStreamSignals { get; } =
        StatDefinition.Plain("HealthStreamSignals", StatKind.Counter,
            "Times a tablet's health stream turned unhealthy (error, end, failure or silence); its shard is polled at once unless the signal is left to the polls");

    public static StatDefinition HealthStreamSignalsLeftToPolls { get; } =
        StatDefinition.Plain("HealthStreamSignalsLeftToPolls", StatKind.Counter,
            "Silent health streams within a burst of them (more likely the daemon or its network than the tablets) left to the regular polls");

    /// <summary>Every stat, sorted by name.</summary>
    public static IReadOnlyList<StatDefinition> All { get; } =
    [
        .. new[]
        {
            PendingRecoveries, RecoveriesCount, SuccessfulRecoveries, FailedRecoveries, SkippedRecoveries, DetectedProblems,
            ShardLocksActive, ShardLockTimings, DiscoveriesAttempt, DiscoveriesFail, DiscoveriesInstancePollSecondsExceeded,
            DiscoveriesQueueLength, DiscoveriesRecentCount, DiscoveryWorkers, DiscoveryWorkersActive, DiscoveryInstanceTimings,
            InstanceRead, InstanceReadTopology, AnalysisChangeWrite, AuditWrite, CurrentErrantGtidCount, ErrantGtidTabletCount,
            TabletsWatchedByCell, TabletsWatchedByShard, EmergencyReparentShardDisabled, AnalysisPassTimings, AnalysisPassLastMicroseconds,
            HealthStreamsConnected, HealthStreamSignals, HealthStreamSignalsLeftToPolls,
        }.OrderBy(d => d.Name, StringComparer.Ordinal),
    ];
}
