namespace Vtorc.Orchestrator.Analysis;

/// <summary>Why a whole shard produced no analysis (vtorc-behaviour §2.2 rules 2 and 4).</summary>
public enum ShardSkipReason
{
    None = 0,
    SnapshotKeyspace,
    NoDurabilityPolicy,
    UnknownDurabilityPolicy,
}
