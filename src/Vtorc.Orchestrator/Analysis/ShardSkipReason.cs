namespace Vtorc.Orchestrator.Analysis;

/// <summary>Why a whole shard produced no analysis (GetDetectionAnalysis in
/// go/vt/vtorc/inst/analysis_dao.go).</summary>
public enum ShardSkipReason
{
    None = 0,
    SnapshotKeyspace,
    NoDurabilityPolicy,
    UnknownDurabilityPolicy,

    /// <summary>
    /// Ours, not VTOrc's: a tablet of the shard has not had its first poll end yet (docs/vitess-compatibility.md,
    /// "Shards wait for their tablets' first poll").
    /// </summary>
    AwaitingFirstPoll,
}
