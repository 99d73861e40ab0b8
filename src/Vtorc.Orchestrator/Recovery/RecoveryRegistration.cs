using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>A recovery about to start (<c>topology_recovery</c> insert).</summary>
/// <param name="RecoveryName">The recovery function's metric/audit name, e.g. <c>FixReplica</c>.</param>
/// <param name="IsShardWide">ERS/PRS-type recoveries; the anti-flapping block looks only at these.</param>
public sealed record RecoveryRegistration(DetectionAnalysis Analysis, long DetectionId, string RecoveryName, bool IsShardWide,
    DateTimeOffset StartedAt)
{
    public string Keyspace => Analysis.AnalyzedKeyspace;

    public string Shard => Analysis.AnalyzedShard;

    public string TabletAlias => Analysis.AnalyzedInstanceAlias;
}
