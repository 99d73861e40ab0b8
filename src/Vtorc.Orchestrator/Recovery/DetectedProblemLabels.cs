namespace Vtorc.Orchestrator.Recovery;

/// <summary>The labels of the <c>DetectedProblems</c> gauge: <c>Analysis, TabletAlias, Keyspace, Shard</c>.</summary>
public readonly record struct DetectedProblemLabels(string Analysis, string TabletAlias, string Keyspace, string Shard);
