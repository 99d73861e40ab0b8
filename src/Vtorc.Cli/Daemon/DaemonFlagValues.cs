namespace Vtorc.Cli.Daemon;

/// <summary>The daemon's flag values after parsing and validation (go/vt/vtorc/config/config.go), defaults filled
/// in.</summary>
public sealed record DaemonFlagValues(
    TimeSpan InstancePollTime,
    TimeSpan TopoInformationRefreshDuration,
    TimeSpan RecoveryPollDuration,
    string ClustersToWatch,
    bool PreventCrossCellFailover,
    TimeSpan WaitReplicasTimeout,
    TimeSpan TolerableReplicationLag,
    TimeSpan ReasonableReplicationLag,
    bool AllowEmergencyReparent,
    bool AllowRecovery,
    bool ChangeTabletsWithErrantGtidToDrained,
    bool EnablePrimaryDiskStalledRecovery,
    int DiscoveryWorkers,
    string SqliteDataFile,
    string AuditFileLocation,
    bool AuditToBackend,
    bool AuditToSyslog,
    TimeSpan AuditPurgeDuration,
    TimeSpan ShutdownWaitTime,
    TimeSpan RecoveryPeriodBlockDuration,
    string Cell,
    int Port,
    string BindAddress,
    string SecurityPolicy,
    bool WatchTopology = true,
    int MaxConcurrentRecoveries = Vtorc.Orchestrator.Recovery.RecoveryScheduler.DefaultMaxConcurrentRecoveries,
    bool TabletHealthStream = true,
    TimeSpan? TabletHealthStreamTimeout = null)
{
    /// <summary><c>--cells-to-watch</c>: empty = every cell.</summary>
    public string CellsToWatch { get; init; } = "";

    /// <summary>The quorum flags of Vitess main.</summary>
    public QuorumFlagValues Quorum { get; init; } = QuorumFlagValues.Default;
}

/// <summary>
/// <c>--emergency-reparent-on-primary-tablet-unreachable</c> and the <c>--shard-tablet-health-*</c> flags of Vitess main
/// (go/vt/vtorc/config/config.go): whether a quorum of the shard's tablets that cannot reach the primary triggers an
/// emergency reparent, and what counts as a quorum.
/// </summary>
public sealed record QuorumFlagValues(bool Enabled, int FailureThreshold, TimeSpan Freshness, double QuorumFraction, int MinObservers)
{
    public static QuorumFlagValues Default { get; } = new(false, 3, TimeSpan.FromSeconds(15), 1, 1);
}
