namespace Vtorc.Cli.Daemon;

/// <summary>The daemon's flag values after parsing and validation (go/vt/vtorc/config/config.go), defaults filled
/// in.</summary>
internal sealed record DaemonFlagValues(
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
    int MaxConcurrentRecoveries = Vtorc.Orchestrator.Daemon.OrchestratorOptions.DefaultMaxConcurrentRecoveries,
    bool TabletHealthStream = true,
    TimeSpan? TabletHealthStreamTimeout = null)
{
    /// <summary><c>--cells-to-watch</c>: empty = every cell.</summary>
    public string CellsToWatch { get; init; } = "";

    /// <summary>The flags of Vitess main's opt-in PrimaryTabletUnreachableByQuorum detection.</summary>
    public Vtorc.Orchestrator.Analysis.QuorumSettings Quorum { get; init; } = Vtorc.Orchestrator.Analysis.QuorumSettings.Default;
}
