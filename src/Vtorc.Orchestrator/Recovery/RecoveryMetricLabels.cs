namespace Vtorc.Orchestrator.Recovery;

/// <summary>The labels of the recovery counters (vtorc-behaviour §7.3): <c>RecoveryType, Keyspace, Shard</c>.</summary>
public readonly record struct RecoveryMetricLabels(string RecoveryType, string Keyspace, string Shard);
