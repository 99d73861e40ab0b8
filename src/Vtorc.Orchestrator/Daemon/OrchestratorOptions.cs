using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>Everything the running daemon needs from its flags (go/vt/vtorc/config/config.go), grouped by the part that
/// uses it.</summary>
public sealed record OrchestratorOptions
{
    public DiscoverySettings Discovery { get; init; } = new();

    /// <summary><c>--watch-topology</c> and how the topology watches are kept alive.</summary>
    public TopologyWatchSettings TopologyWatch { get; init; } = new();

    /// <summary><c>--tablet-health-stream</c>, <c>--tablet-health-stream-timeout</c>.</summary>
    public HealthStreamSettings HealthStream { get; init; } = new();

    public RecoverySettings Recovery { get; init; } = RecoverySettings.Default;

    public StoreOptions Store { get; init; } = new();

    /// <summary><c>--clusters-to-watch</c>: empty = every keyspace.</summary>
    public string ClustersToWatch { get; init; } = "";

    /// <summary><c>--recovery-poll-duration</c>: how often every shard is analysed and its problems recovered.</summary>
    public TimeSpan RecoveryPollDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>--allow-recovery</c>: false writes the global "recoveries disabled" row at start.</summary>
    public bool AllowRecovery { get; init; } = true;

    /// <summary><c>--audit-purge-duration</c>: retention of audit and recovery rows (whole days).</summary>
    public TimeSpan AuditPurgeDuration { get; init; } = TimeSpan.FromHours(168);

    /// <summary><c>--shutdown-wait-time</c>: how long shutdown waits for shard locks held by recoveries.</summary>
    public TimeSpan ShutdownWaitTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>--max-concurrent-recoveries</c> (ours): how many shards may recover at the same time; the others wait for a
    /// slot. Vitess bounds nothing (one goroutine per shard).
    /// </summary>
    public int MaxConcurrentRecoveries { get; init; } = DefaultMaxConcurrentRecoveries;

    /// <summary>The default of <c>--max-concurrent-recoveries</c>, for the command line.</summary>
    public const int DefaultMaxConcurrentRecoveries = RecoveryScheduler.DefaultMaxConcurrentRecoveries;

    /// <summary><c>--cell</c>: the cell this daemon runs in; checked to exist at start (a warning when it does not).</summary>
    public string Cell { get; init; } = "";

    /// <summary>VTOrc's fixed one-minute caretaking tick (retention).</summary>
    public TimeSpan CaretakingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the gauges that summarise the state (tablets per shard, errant GTIDs, …) are refreshed.</summary>
    public TimeSpan GaugeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <exception cref="ArgumentException">A value is out of range; the message names the flag.</exception>
    public void Validate()
    {
        Discovery.Validate();
        TopologyWatch.Validate();
        HealthStream.Validate();
        Recovery.Validate();
        if (RecoveryPollDuration <= TimeSpan.Zero)
            throw new ArgumentException($"--recovery-poll-duration must be positive (got \"{RecoveryPollDuration}\").");
        if (AuditPurgeDuration < TimeSpan.Zero)
            throw new ArgumentException($"--audit-purge-duration must not be negative (got \"{AuditPurgeDuration}\").");
        if (ShutdownWaitTime < TimeSpan.Zero)
            throw new ArgumentException($"--shutdown-wait-time must not be negative (got \"{ShutdownWaitTime}\").");
        if (MaxConcurrentRecoveries < 1)
            throw new ArgumentException($"--max-concurrent-recoveries must be at least 1 (got \"{MaxConcurrentRecoveries}\").");
        if (CaretakingInterval <= TimeSpan.Zero || GaugeInterval <= TimeSpan.Zero)
            throw new ArgumentException("the caretaking and gauge intervals must be positive.");
    }
}
