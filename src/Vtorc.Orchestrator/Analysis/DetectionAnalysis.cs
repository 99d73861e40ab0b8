using System.Text.Json.Serialization;
using Topodata;
using ObservationFields = Vtorc.Orchestrator.Analysis.InstanceObservation.Fields;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// What the analysis reports about one tablet (go/vt/vtorc/inst/analysis.go). Property names are the JSON names of
/// VTOrc's <c>DetectionAnalysis</c> so the HTTP API can serialise this directly. Times are zero
/// (<c>default</c>, 0001-01-01 UTC) when unset, like Go's zero time.
/// </summary>
public sealed record DetectionAnalysis
{
    public string AnalyzedInstanceAlias { get; init; } = "";

    /// <summary>Alias of the tablet this one replicates from; empty when none or not a known tablet.</summary>
    public string AnalyzedInstancePrimaryAlias { get; init; } = "";

    public TabletType TabletType { get; init; }

    public TabletType CurrentTabletType { get; init; }

    public DateTimeOffset PrimaryTimeStamp { get; init; }

    public string AnalyzedKeyspace { get; init; } = "";

    public string AnalyzedShard { get; init; } = "";

    public bool AnalyzedKeyspaceEmergencyReparentDisabled { get; init; }

    public bool AnalyzedShardEmergencyReparentDisabled { get; init; }

    public DateTimeOffset ShardPrimaryTermTimestamp { get; init; }

    public BinlogCoordinates AnalyzedInstanceBinlogCoordinates { get; init; } = BinlogCoordinates.Empty;

    /// <summary>Not replicating from anyone (not "is the shard's primary": see <see cref="IsClusterPrimary"/>).</summary>
    public bool IsPrimary { get; init; }

    public bool IsClusterPrimary { get; init; }

    public bool LastCheckValid { get; init; }

    public bool LastCheckPartialSuccess { get; init; }

    public int CountReplicas { get; init; }

    public int CountValidReplicas { get; init; }

    public int CountValidReplicatingReplicas { get; init; }

    public int CountValidSemiSyncReplicatingReplicas { get; init; }

    public bool ReplicationStopped { get; init; }

    public string ErrantGTID { get; init; } = "";

    public int ReplicaNetTimeout { get; init; }

    public double HeartbeatInterval { get; init; }

    /// <summary>The reported code: the first of <see cref="AnalysisMatchedProblems"/>, or DeadPrimary after post-processing.</summary>
    public string Analysis { get; init; } = AnalysisCodes.NoProblem;

    public IReadOnlyList<MatchedProblem> AnalysisMatchedProblems { get; init; } = [];

    public string Description { get; init; } = "";

    public IReadOnlyList<string> StructureAnalysis { get; init; } = [];

    public bool OracleGTIDImmediateTopology { get; init; }

    public bool BinlogServerImmediateTopology { get; init; }

    public bool SemiSyncPrimaryEnabled { get; init; }

    public bool SemiSyncPrimaryStatus { get; init; }

    public uint SemiSyncPrimaryWaitForReplicaCount { get; init; }

    public uint SemiSyncPrimaryClients { get; init; }

    public bool SemiSyncReplicaEnabled { get; init; }

    public bool SemiSyncBlocked { get; init; }

    public int CountSemiSyncReplicasEnabled { get; init; }

    public int CountLoggingReplicas { get; init; }

    public int CountStatementBasedLoggingReplicas { get; init; }

    public int CountMixedBasedLoggingReplicas { get; init; }

    public int CountRowBasedLoggingReplicas { get; init; }

    public int CountDistinctMajorVersionsLoggingReplicas { get; init; }

    public int CountDelayedReplicas { get; init; }

    public int CountLaggingReplicas { get; init; }

    /// <summary>Whether <see cref="Analysis"/> maps to a recovery that acts (<see cref="RecoveryMapping"/>).</summary>
    public bool IsActionableRecovery { get; init; }

    /// <summary>Filled by the recovery pipeline; 0 from the analysis.</summary>
    public long RecoveryId { get; init; }

    public string GTIDMode { get; init; } = "";

    public string MinReplicaGTIDMode { get; init; } = "";

    public string MaxReplicaGTIDMode { get; init; } = "";

    public string MaxReplicaGTIDErrant { get; init; } = "";

    public bool IsReadOnly { get; init; }

    public bool IsDiskStalled { get; init; }

    /// <summary>Whether the reported problem acts on the whole shard (not part of VTOrc's JSON shape).</summary>
    [JsonIgnore]
    public bool HasShardWideAction => AnalysisProblems.TryGet(Analysis, out var problem) && problem!.HasShardWideAction;

    internal static DetectionAnalysis From(TabletFacts f, ShardSnapshot snapshot, string analysis, string description,
        IReadOnlyList<MatchedProblem> matched, IReadOnlyList<string> structure) => new()
    {
        AnalyzedInstanceAlias = f.Tablet.Alias,
        AnalyzedInstancePrimaryAlias = f.SourceTabletAlias,
        TabletType = f.Tablet.Type,
        CurrentTabletType = ObservationFields.CurrentTabletType.OrDefault(f.Instance),
        PrimaryTimeStamp = f.Tablet.PrimaryTermStartTime,
        AnalyzedKeyspace = snapshot.Keyspace.Name,
        AnalyzedShard = snapshot.Shard.Shard,
        AnalyzedKeyspaceEmergencyReparentDisabled = snapshot.Keyspace.EmergencyReparentDisabled,
        AnalyzedShardEmergencyReparentDisabled = snapshot.Shard.EmergencyReparentDisabled,
        ShardPrimaryTermTimestamp = snapshot.Shard.PrimaryTermStartTime,
        AnalyzedInstanceBinlogCoordinates = ObservationFields.SelfBinlogCoordinates.OrDefault(f.Instance),
        IsPrimary = f.IsPrimary,
        IsClusterPrimary = f.IsClusterPrimary,
        LastCheckValid = f.LastCheckValid,
        // Not a plain copy: false for a tablet never polled (ObservationFields.LastCheckPartialSuccess).
        LastCheckPartialSuccess = f.LastCheckPartialSuccess,
        CountReplicas = f.CountReplicas,
        CountValidReplicas = f.CountValidReplicas,
        CountValidReplicatingReplicas = f.CountValidReplicatingReplicas,
        CountValidSemiSyncReplicatingReplicas = f.CountValidSemiSyncReplicatingReplicas,
        ReplicationStopped = f.ReplicationStopped,
        ErrantGTID = ObservationFields.GtidErrant.OrDefault(f.Instance),
        ReplicaNetTimeout = ObservationFields.ReplicaNetTimeout.OrDefault(f.Instance),
        HeartbeatInterval = ObservationFields.HeartbeatInterval.OrDefault(f.Instance),
        Analysis = analysis,
        AnalysisMatchedProblems = matched,
        Description = description,
        StructureAnalysis = structure,
        OracleGTIDImmediateTopology = f.OracleGtidImmediateTopology,
        BinlogServerImmediateTopology = false,
        SemiSyncPrimaryEnabled = ObservationFields.SemiSyncPrimaryEnabled.OrDefault(f.Instance),
        SemiSyncPrimaryStatus = ObservationFields.SemiSyncPrimaryStatus.OrDefault(f.Instance),
        SemiSyncPrimaryWaitForReplicaCount = ObservationFields.SemiSyncPrimaryWaitForReplicaCount.OrDefault(f.Instance),
        SemiSyncPrimaryClients = ObservationFields.SemiSyncPrimaryClients.OrDefault(f.Instance),
        SemiSyncReplicaEnabled = ObservationFields.SemiSyncReplicaEnabled.OrDefault(f.Instance),
        SemiSyncBlocked = ObservationFields.SemiSyncBlocked.OrDefault(f.Instance),
        CountSemiSyncReplicasEnabled = f.CountSemiSyncReplicasEnabled,
        CountLoggingReplicas = f.CountLoggingReplicas,
        CountStatementBasedLoggingReplicas = f.CountStatementBasedLoggingReplicas,
        CountMixedBasedLoggingReplicas = f.CountMixedBasedLoggingReplicas,
        CountRowBasedLoggingReplicas = f.CountRowBasedLoggingReplicas,
        CountDistinctMajorVersionsLoggingReplicas = f.CountDistinctMajorVersionsLoggingReplicas,
        CountDelayedReplicas = f.CountDelayedReplicas,
        CountLaggingReplicas = f.CountLaggingReplicas,
        IsActionableRecovery = RecoveryMapping.For(analysis).IsActionable,
        GTIDMode = ObservationFields.GtidMode.OrDefault(f.Instance),
        MinReplicaGTIDMode = f.MinReplicaGtidMode ?? "",
        MaxReplicaGTIDMode = f.MaxReplicaGtidMode ?? "",
        MaxReplicaGTIDErrant = f.MaxReplicaGtidErrant ?? "",
        IsReadOnly = ObservationFields.ReadOnly.OrDefault(f.Instance),
        IsDiskStalled = ObservationFields.IsDiskStalled.OrDefault(f.Instance),
    };
}
