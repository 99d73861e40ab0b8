using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http;

/// <summary>One watched shard on the status page: its frozen state and the analysis of that state.</summary>
internal sealed record ShardStatus(ShardSnapshot Snapshot, ShardAnalysisResult Analysis);

/// <summary>Everything <c>/debug/status</c> shows, gathered at one moment so the page renders as a pure function.</summary>
internal sealed record StatusPageModel
{
    public required string Version { get; init; }

    public required string Hostname { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>The <c>--clusters-to-watch</c> value; empty = every keyspace.</summary>
    public required string WatchScope { get; init; }

    /// <summary>Null when the store could not say (its error is in <see cref="StoreError"/>).</summary>
    public required bool? RecoveriesDisabled { get; init; }

    /// <summary>
    /// Every recovery switch that is off (global, keyspace, shard; ours beyond Vitess's global one), with who, why and
    /// since when; empty when the store could not say.
    /// </summary>
    public IReadOnlyList<Recovery.RecoveryDisable> RecoveryDisables { get; init; } = [];

    /// <summary>The security policy allows the enable/disable links.</summary>
    public required bool AdminAllowed { get; init; }

    public required bool DiscoveredOnce { get; init; }

    public required AnalysisSettings AnalysisSettings { get; init; }

    public required IReadOnlyList<ShardStatus> Shards { get; init; }

    public required IReadOnlyList<RecoveryRecord> RecentRecoveries { get; init; }

    /// <summary>Why the history could not be read, shown instead of hiding the section; null when it was read.</summary>
    public string? StoreError { get; init; }

    /// <summary>Seconds between page reloads.</summary>
    public int RefreshSeconds { get; init; } = 5;

    /// <summary>The latest recovery attempt of each current problem, by (tablet alias, analysis code).</summary>
    public IReadOnlyDictionary<(string Alias, string Analysis), Recovery.LastRecoveryOutcome> RecoveryOutcomes { get; init; } =
        new Dictionary<(string Alias, string Analysis), Recovery.LastRecoveryOutcome>();

    /// <summary>Why the latest poll of each unreachable tablet failed, by alias.</summary>
    public IReadOnlyDictionary<string, string> PollErrors { get; init; } = new Dictionary<string, string>();
}
