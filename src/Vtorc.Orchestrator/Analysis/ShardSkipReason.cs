namespace Vtorc.Orchestrator.Analysis;

/// <summary>Why a whole shard produced no analysis (GetDetectionAnalysis in
/// go/vt/vtorc/inst/analysis_dao.go).</summary>
public enum ShardSkipReason
{
    None = 0,
    SnapshotKeyspace,
    NoDurabilityPolicy,
    UnknownDurabilityPolicy,
}
