namespace Vtorc.Orchestrator.Recovery;

/// <summary>The labels of the recovery counters (go/vt/vtorc/logic/topology_recovery.go): <c>RecoveryType, Keyspace,
/// Shard</c>.</summary>
public readonly record struct RecoveryMetricLabels(string RecoveryType, string Keyspace, string Shard);
