namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>A shard's state on the operator page.</summary>
internal enum ShardState
{
    /// <summary>The analysis reports at least one problem.</summary>
    Problem,

    /// <summary>The analysis skipped the shard (no or unknown durability policy): watched, never repaired.</summary>
    Unanalysed,

    Healthy,
}
