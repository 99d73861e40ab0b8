using Topodata;
using Vtorc.Reparent;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The per-tablet aggregation of VTOrc's analysis query (go/vt/vtorc/inst/analysis_dao.go) for the row being analysed,
/// plus the shard context the problem conditions read. One instance is reused for every row of a pass so that healthy
/// tablets cost no allocation; a <see cref="DetectionAnalysis"/> is built from it only when something is reported.
/// </summary>
internal sealed class TabletFacts
{
    // The analysed tablet and what it replicates from.
    public TabletRecord Tablet = null!;
    public InstanceObservation? Instance;
    public TabletInfo? SourceTablet;
    public string SourceTabletAlias = "";
    public DurabilityPolicy Durability = null!;

    // Shard context.
    public bool IsClusterPrimary;
    public bool ShardHasClusterPrimary;
    public string ClusterPrimaryAlias = "";
    public DateTimeOffset ClusterPrimaryTermStart;
    public DateTimeOffset ShardPrimaryTermStart;

    // Own instance.
    public bool IsInvalid;
    public bool IsPrimary;
    public bool LastCheckValid;
    public bool LastCheckPartialSuccess;
    public bool ReplicationStopped;
    public bool ReplicationDiverged;
    public bool IsReadOnly;
    public bool IsDiskStalled;

    /// <summary>The tablet's primary health window is unhealthy at the analysis time.</summary>
    public bool PrimaryHealthUnhealthy;

    /// <summary>The quorum detection is on, and the shard's replicas agree that this cluster primary is down.</summary>
    public bool PrimaryUnreachableByQuorum;
    public TabletType CurrentTabletType;
    public bool StaleBinlogCoordinates;

    /// <summary>Cluster primary row only: a reachable replica holds transactions of its stream it lacks (<see cref="PrimaryBehindReplicas"/>).</summary>
    public bool BehindReachableReplica;

    // Direct replicas.
    public int CountReplicas;
    public int CountValidReplicas;
    public int CountValidReplicatingReplicas;
    public int CountValidSemiSyncReplicatingReplicas;
    public int CountValidAutoPositionReplicas;
    public int CountSemiSyncReplicasEnabled;
    public int CountLaggingReplicas;
    public int CountDelayedReplicas;
    public int CountLoggingReplicas;
    public int CountStatementBasedLoggingReplicas;
    public int CountMixedBasedLoggingReplicas;
    public int CountRowBasedLoggingReplicas;
    public int CountDistinctMajorVersionsLoggingReplicas;
    public string? MinReplicaGtidMode;
    public string? MaxReplicaGtidMode;
    public string? MaxReplicaGtidErrant;

    public TabletType TabletType => Tablet.Type;

    /// <summary>Topo type REPLICA or RDONLY.</summary>
    public bool IsReplicaType => Tablet.Type is TabletType.Replica or TabletType.Rdonly;

    public bool OracleGtidImmediateTopology => CountValidReplicas > 0 && CountValidAutoPositionReplicas == CountValidReplicas;

    public string ErrantGtid => Instance?.GtidErrant ?? "";

    public bool SemiSyncPrimaryEnabled => Instance?.SemiSyncPrimaryEnabled ?? false;

    public bool SemiSyncPrimaryStatus => Instance?.SemiSyncPrimaryStatus ?? false;

    public uint SemiSyncPrimaryWaitForReplicaCount => Instance?.SemiSyncPrimaryWaitForReplicaCount ?? 0;

    public uint SemiSyncPrimaryClients => Instance?.SemiSyncPrimaryClients ?? 0;

    public bool SemiSyncReplicaEnabled => Instance?.SemiSyncReplicaEnabled ?? false;

    public bool SemiSyncBlocked => Instance?.SemiSyncBlocked ?? false;

    public int ReplicaNetTimeout => Instance?.ReplicaNetTimeout ?? 0;

    public double HeartbeatInterval => Instance?.HeartbeatInterval ?? 0;

    /// <summary>
    /// The tablet the analysed one replicates from, as durability policies see it. VTOrc passes an empty tablet
    /// record when there is none (not a null), so a policy that ignores the primary's identity still answers;
    /// <see cref="UnknownSource"/> plays that empty record.
    /// </summary>
    public TabletInfo SourceForPolicy => SourceTablet ?? UnknownSource;

    public static readonly TabletInfo UnknownSource = new("unknown-0", "", TabletType.Unknown);
}
