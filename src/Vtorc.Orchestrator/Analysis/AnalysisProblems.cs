using Topodata;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The problem table of go/vt/vtorc/inst/analysis_problem.go (Vitess main, 2026), in its declaration order: the order
/// in which a tablet's matches are collected, so among problems of equal priority and no dependency the one declared
/// first is reported (the sort is stable). Our own problems (PrimaryBehindReplica, ReplicationDiverged) sit next to
/// the Vitess problems they refine.
/// </summary>
internal static class AnalysisProblems
{
    private static readonly AnalysisProblem[] Table = Build();
    private static readonly Dictionary<string, AnalysisProblem> ByCode = Table.ToDictionary(p => p.Code, StringComparer.Ordinal);

    /// <summary>All problems in declaration (collection) order.</summary>
    public static IReadOnlyList<AnalysisProblem> All { get; } = Array.AsReadOnly(Table);

    /// <summary>The two problems tested for a tablet that was never reached.</summary>
    internal static readonly AnalysisProblem[] InvalidOnly = [ByCode[C.InvalidPrimary], ByCode[C.InvalidReplica]];

    /// <summary>With the quorum detection on, a never-reached primary the replicas agree is down reports this instead.</summary>
    internal static readonly AnalysisProblem[] InvalidPrimaryByQuorum =
        [ByCode[C.PrimaryTabletUnreachableByQuorum], ByCode[C.InvalidPrimary], ByCode[C.InvalidReplica]];

    internal static AnalysisProblem[] Ordered => Table;

    public static AnalysisProblem Get(string code) =>
        ByCode.TryGetValue(code, out var problem)
            ? problem
            : throw new ArgumentException($"Unknown analysis code \"{code}\".", nameof(code));

    public static bool TryGet(string code, out AnalysisProblem? problem) => ByCode.TryGetValue(code, out problem);

    private static AnalysisProblem[] Build()
    {
        string[] deadPrimaryFamily = [C.DeadPrimary, C.DeadPrimaryAndReplicas, C.DeadPrimaryAndSomeReplicas, C.DeadPrimaryWithoutReplicas];
        var problems = new List<AnalysisProblem>
        {
            new(C.InvalidPrimary, "the shard's primary has not been reached once since VTOrc started",
                AnalysisPriority.Critical, f => f.IsClusterPrimary && f.IsInvalid),
            new(C.InvalidReplica, "this tablet has not been reached once since VTOrc started",
                AnalysisPriority.Low, f => f.IsInvalid),
            new(C.PrimaryDiskStalled, "the primary cannot be polled because its disk is stalled",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.LastCheckValid && f.IsDiskStalled,
                before: deadPrimaryFamily),
            new(C.DeadPrimaryWithoutReplicas, "the primary cannot be reached and it has no replicas",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.LastCheckValid && f.CountReplicas == 0),
            new(C.DeadPrimary, "the primary cannot be reached and none of its reachable replicas is replicating",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.LastCheckValid && f.CountReplicas > 0
                    && f.CountValidReplicas == f.CountReplicas && f.CountValidReplicatingReplicas == 0),
            new(C.DeadPrimaryAndReplicas, "neither the primary nor any of its replicas can be reached",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.LastCheckValid && f.CountReplicas > 0
                    && f.CountValidReplicas == 0 && f.CountValidReplicatingReplicas == 0),
            new(C.DeadPrimaryAndSomeReplicas, "the primary and some of its replicas cannot be reached; none of the others is replicating",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.LastCheckValid
                    && f.CountValidReplicas > 0 && f.CountValidReplicas < f.CountReplicas && f.CountValidReplicatingReplicas == 0),
            // Opt-in (Vitess main): the replicas' own Pings agree the primary is down, which the DeadPrimary family
            // cannot see while they still hold a replication connection to it.
            new(C.PrimaryTabletUnreachableByQuorum, "the primary cannot be reached and its replicas agree they cannot ping it",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.LastCheckValid && f.PrimaryUnreachableByQuorum),
            // Declared after the DeadPrimary family: a primary that also matches one of those reports that instead.
            new(C.IncapacitatedPrimary, "the primary failed most of its recent polls and cannot be polled now",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.LastCheckValid && f.PrimaryHealthUnhealthy),
            new(C.PrimaryHasPrimary, "the shard's primary is itself replicating from another server",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && !f.IsPrimary),
            // Ours: making this primary writable would reuse sequence numbers a replica already holds with other
            // content; an emergency reparent elects the most advanced tablet instead (docs/vitess-compatibility.md).
            new(C.PrimaryBehindReplica, "the read-only primary lacks transactions of its own stream that a replica holds (lost in its crash recovery)",
                AnalysisPriority.ShardWideAction, f => f.IsClusterPrimary && f.IsPrimary && f.LastCheckValid && f.BehindReachableReplica,
                before: [C.PrimaryIsReadOnly, C.PrimaryCurrentTypeMismatch, C.PrimarySemiSyncMustBeSet, C.PrimarySemiSyncMustNotBeSet]),
            // Before the blocked-semi-sync failover (vitessio/vitess#20015): a read-only primary blocks nothing that
            // making it writable again does not cure.
            new(C.PrimaryIsReadOnly, "the shard's primary is read-only",
                AnalysisPriority.High, f => f.IsClusterPrimary && f.IsReadOnly,
                before: [C.PrimarySemiSyncBlocked]),
            new(C.ReplicaIsWritable, "the replica is writable",
                AnalysisPriority.Medium, f => f.IsReplicaType && !f.IsReadOnly),
            new(C.PrimarySemiSyncMustBeSet, "the durability policy needs semi-sync on the primary, it is off, and enough semi-sync replicas are ready to ack",
                AnalysisPriority.Medium, f => f.IsClusterPrimary
                    && f.Durability.SemiSyncAckers(f.Tablet.Info) != 0
                    && !f.SemiSyncPrimaryEnabled
                    && f.CountValidSemiSyncReplicatingReplicas >= f.Durability.SemiSyncAckers(f.SourceForPolicy),
                after: [C.ReplicaSemiSyncMustBeSet]),
            new(C.PrimarySemiSyncMustNotBeSet, "the durability policy wants no semi-sync on the primary, but it is on",
                AnalysisPriority.Medium, f => f.IsClusterPrimary
                    && f.Durability.SemiSyncAckers(f.Tablet.Info) == 0 && f.SemiSyncPrimaryEnabled),
            new(C.ReplicaSemiSyncMustBeSet, "the durability policy wants this replica to ack semi-sync, but semi-sync is off",
                AnalysisPriority.Medium, f => f.IsReplicaType && !f.IsPrimary
                    && f.Durability.IsReplicaSemiSync(f.SourceForPolicy, f.Tablet.Info) && !f.SemiSyncReplicaEnabled,
                before: [C.PrimarySemiSyncMustBeSet]),
            new(C.ReplicaSemiSyncMustNotBeSet, "the durability policy wants no semi-sync on this replica, but it is on",
                AnalysisPriority.Medium, f => f.IsReplicaType && !f.IsPrimary
                    && !f.Durability.IsReplicaSemiSync(f.SourceForPolicy, f.Tablet.Info) && f.SemiSyncReplicaEnabled),
            // Ours: only from a poll that reached the primary (Vitess also matches the blocked flag kept from the last
            // good poll). A primary that cannot be reached now is judged by the DeadPrimary and UnreachablePrimary rules;
            // an emergency reparent started on an old "blocked" cannot fence a primary whose agent is gone, and its
            // mysqld would stay writable next to the new primary (docs/vitess-compatibility.md).
            new(C.PrimarySemiSyncBlocked, "writes on the primary are blocked waiting for semi-sync acks although enough replicas have semi-sync on",
                AnalysisPriority.ShardWideAction, f => f.IsPrimary && f.LastCheckValid && f.SemiSyncBlocked
                    && f.CountSemiSyncReplicasEnabled >= f.SemiSyncPrimaryWaitForReplicaCount),
            new(C.PrimaryCurrentTypeMismatch, "the shard's primary in the topology is running as another tablet type",
                AnalysisPriority.Medium, f => f.IsClusterPrimary
                    && f.CurrentTabletType is not (TabletType.Unknown or TabletType.Primary)),
            new(C.StaleTopoPrimary, "a PRIMARY tablet record with an older term than the shard's current primary",
                // Ours: only while the stale primary answers. Demoting an unreachable one cannot succeed, and VTOrc's
                // attempt every tick filled the history with failures; it is demoted when it is seen again (and our
                // agent demotes itself on restart anyway).
                AnalysisPriority.High, f => f.TabletType == TabletType.Primary && f.ShardHasClusterPrimary
                    && f.Tablet.PrimaryTermStartTime < f.ClusterPrimaryTermStart && f.LastCheckValid),
            new(C.ErrantGtidDetected, "the replica has transactions its primary does not have (errant GTIDs)",
                AnalysisPriority.Medium, f => f.IsReplicaType && f.ErrantGtid.Length != 0),
            new(C.ClusterHasNoPrimary, "the shard has no PRIMARY tablet and never had one",
                AnalysisPriority.ShardWideAction, f => f.IsReplicaType && !f.ShardHasClusterPrimary
                    && f.ShardPrimaryTermStart == default),
            new(C.PrimaryTabletDeleted, "the shard had a primary but its PRIMARY tablet record is gone",
                AnalysisPriority.ShardWideAction, f => f.IsReplicaType && !f.ShardHasClusterPrimary
                    && f.ShardPrimaryTermStart != default),
            // Before the blocked-semi-sync failover (vitessio/vitess#19925): the stopped replica may be the missing
            // acker, and restarting it unblocks the primary.
            new(C.ReplicationStopped, "replication is stopped on the replica",
                AnalysisPriority.Medium, f => f.IsReplicaType && !f.IsPrimary && f.ReplicationStopped,
                before: [C.PrimarySemiSyncBlocked]),
            // Ours: restarting replication cannot cure a divergence error, so it is named instead of being
            // "repaired" as ReplicationStopped every tick (docs/vitess-compatibility.md). Drained with
            // --change-tablets-with-errant-gtid-to-drained, else left for the operator.
            new(C.ReplicationDiverged, "replication stopped with a divergence error: the replica and its source have different histories",
                // Only against the shard primary: a replica that diverged from a wrong source is first repointed.
                AnalysisPriority.High, f => f.IsReplicaType && !f.IsPrimary && f.ReplicationDiverged && f.ShardHasClusterPrimary
                    && string.Equals(f.SourceTabletAlias, f.ClusterPrimaryAlias, StringComparison.Ordinal),
                // A writable replica is made read-only first, diverged or not.
                before: [C.ReplicationStopped, C.ErrantGtidDetected, C.ReplicaSemiSyncMustBeSet,
                    C.ReplicaSemiSyncMustNotBeSet, C.ReplicaMisconfigured],
                after: [C.ReplicaIsWritable]),
            new(C.NotConnectedToPrimary, "the replica is not replicating from anyone",
                AnalysisPriority.Medium, f => f.IsReplicaType && f.IsPrimary),
            new(C.ReplicaMisconfigured, "the replica's net timeout is not twice its heartbeat interval",
                AnalysisPriority.Medium, f => f.IsReplicaType && !f.IsPrimary
                    && Math.Round(2 * f.HeartbeatInterval, MidpointRounding.AwayFromZero) != f.ReplicaNetTimeout),
            new(C.ConnectedToWrongPrimary, "the replica replicates from a server other than the shard's primary",
                AnalysisPriority.Medium, f => f.IsReplicaType && !f.IsPrimary && f.ShardHasClusterPrimary
                    && !string.Equals(f.SourceTabletAlias, f.ClusterPrimaryAlias, StringComparison.Ordinal)),
            new(C.UnreachablePrimaryWithLaggingReplicas, "the primary cannot be reached and all its replicas lag",
                AnalysisPriority.Medium, f => f.IsPrimary && !f.LastCheckValid
                    && f.CountLaggingReplicas == f.CountReplicas && f.CountDelayedReplicas < f.CountReplicas
                    && f.CountValidReplicatingReplicas > 0),
            new(C.UnreachablePrimary, "the primary cannot be reached but all its reachable replicas are replicating",
                AnalysisPriority.Medium, f => f.IsPrimary && !f.LastCheckValid && !f.LastCheckPartialSuccess
                    && f.CountValidReplicas > 0 && f.CountValidReplicatingReplicas == f.CountValidReplicas),
            new(C.UnreachablePrimaryWithBrokenReplicas, "the primary cannot be reached and only some of its reachable replicas are replicating",
                AnalysisPriority.Medium, f => f.IsPrimary && !f.LastCheckValid && !f.LastCheckPartialSuccess
                    && f.CountValidReplicas > 0 && f.CountValidReplicatingReplicas > 0
                    && f.CountValidReplicatingReplicas < f.CountValidReplicas),
            new(C.LockedSemiSyncPrimary, "the semi-sync primary waits for more acking replicas than are connected and its binlog does not move",
                AnalysisPriority.Medium, f => IsSemiSyncShortOfClients(f) && f.StaleBinlogCoordinates),
            new(C.LockedSemiSyncPrimaryHypothesis, "the semi-sync primary waits for more acking replicas than are connected",
                AnalysisPriority.Medium, f => IsSemiSyncShortOfClients(f) && !f.StaleBinlogCoordinates),
            new(C.PrimarySingleReplicaNotReplicating, "the primary's only replica is reachable but not replicating",
                AnalysisPriority.Medium, f => f.IsPrimary && f.LastCheckValid && f.CountReplicas == 1
                    && f.CountValidReplicas == f.CountReplicas && f.CountValidReplicatingReplicas == 0),
            new(C.PrimarySingleReplicaDead, "the primary's only replica cannot be reached",
                AnalysisPriority.Medium, f => f.IsPrimary && f.LastCheckValid && f.CountReplicas == 1
                    && f.CountValidReplicas == 0),
            new(C.AllPrimaryReplicasNotReplicating, "none of the primary's replicas is replicating, all are reachable",
                AnalysisPriority.Low, f => f.IsPrimary && f.LastCheckValid && f.CountReplicas > 1
                    && f.CountValidReplicas == f.CountReplicas && f.CountValidReplicatingReplicas == 0),
            new(C.AllPrimaryReplicasNotReplicatingOrDead, "none of the primary's replicas is replicating and some cannot be reached",
                AnalysisPriority.Low, f => f.IsPrimary && f.LastCheckValid && f.CountReplicas > 1
                    && f.CountValidReplicas > 0 && f.CountValidReplicas < f.CountReplicas && f.CountValidReplicatingReplicas == 0),
        };
        // Only Vitess's own dependencies make a Vitess problem ordered: ours refine one tablet's report and must not
        // change how Vitess's problems are scheduled.
        string[] ours = [C.PrimaryBehindReplica, C.ReplicationDiverged];
        foreach (var problem in problems)
        {
            problem.IsNamedByAnother = problems.Any(p => !ours.Contains(p.Code) && (p.Before.Contains(problem.Code) || p.After.Contains(problem.Code)));
        }
        return problems.ToArray();
    }

    private static bool IsSemiSyncShortOfClients(TabletFacts f) =>
        f.IsPrimary && f.SemiSyncPrimaryEnabled && f.SemiSyncPrimaryStatus && f.SemiSyncPrimaryWaitForReplicaCount > 0
        && f.SemiSyncPrimaryClients < f.SemiSyncPrimaryWaitForReplicaCount;
}
