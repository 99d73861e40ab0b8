namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// <c>/api/ui/shard</c>: one shard as the operator needs it in an incident — its records, its tablets as a
/// replication tree, its current problems with what is being done, why nothing is being done (<see cref="WhyNot"/>),
/// the anti-flapping state and the timeline (<see cref="Timeline"/>: its recoveries and the reparents operators started
/// from the page, newest first; <see cref="Recoveries"/> lists the recoveries alone).
/// </summary>
internal sealed record ShardViewJson(
    DateTimeOffset Now,
    string Keyspace,
    string Shard,
    string State,
    string DurabilityPolicy,
    string AnalysisNote,
    string PrimaryAlias,
    DateTimeOffset? PrimaryTermStart,
    bool EmergencyReparentDisabled,
    IReadOnlyList<TabletJson> Tablets,
    IReadOnlyList<ProblemJson> Problems,
    string WhyNot,
    AntiFlappingJson AntiFlapping,
    IReadOnlyList<RecoveryJson> Recoveries,
    IReadOnlyList<TimelineEntryJson> Timeline,
    string? StoreError);

/// <summary>One tablet of the shard view, in replication-tree order.</summary>
/// <param name="Depth">How many replication hops below a root (0 for the primary and tablets replicating from nobody here).</param>
/// <param name="Reachable">The latest poll succeeded; null when the tablet was never reached.</param>
/// <param name="RunningType">The type the tablet reports when it differs from its record; empty otherwise.</param>
internal sealed record TabletJson(
    string Alias,
    string Cell,
    string Type,
    string RunningType,
    bool IsShardPrimary,
    int Depth,
    string SourceAlias,
    string SourceOutsideShard,
    string MysqlAddress,
    bool? Reachable,
    DateTimeOffset? LastSeen,
    string PollError,
    bool? ReadOnly,
    bool? SuperReadOnly,
    string IoThread,
    string SqlThread,
    string ReplicationError,
    long? LagSeconds,
    string GtidPosition,
    string ErrantGtids,
    SemiSyncJson? SemiSync,
    IReadOnlyList<string> Problems);

/// <summary>A tablet's semi-sync settings and state as its last poll saw them.</summary>
internal sealed record SemiSyncJson(bool PrimaryEnabled, bool PrimaryActive, uint PrimaryClients, uint WaitForReplicaCount, bool ReplicaEnabled,
    bool ReplicaActive, bool Blocked);

/// <summary>
/// The shard's anti-flapping block: the newest finished shard-wide recovery, and until when it blocks another one
/// (<see cref="HeldUntil"/>, null when no block holds: none, old enough, acknowledged, or the block is off).
/// </summary>
internal sealed record AntiFlappingJson(double BlockSeconds, long LastRecoveryId, string LastRecoveryAnalysis, DateTimeOffset? LastRecoveryEnded,
    bool Acknowledged, DateTimeOffset? HeldUntil);
