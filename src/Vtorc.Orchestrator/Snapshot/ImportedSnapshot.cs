using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>What a snapshot file holds once read: the shards, the analysis settings of the exporting daemon, and when it was taken.</summary>
public sealed record ImportedSnapshot(IReadOnlyList<ShardSnapshot> Shards, AnalysisSettings Settings, DateTimeOffset CapturedAt);
