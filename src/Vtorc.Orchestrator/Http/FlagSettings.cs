using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The <c>/api/config</c> map: every daemon flag under its Vitess name with its current value. Values are
/// typed as VTOrc's viper settings marshal in Go: booleans, numbers, strings, string lists, and durations as
/// integer nanoseconds (Go's <c>time.Duration</c> JSON), so a tool comparing against VTOrc sees the same types.
/// </summary>
internal static class FlagSettings
{
    public static SortedDictionary<string, object> Of(OrchestratorOptions options, HttpServerOptions http)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        var discovery = options.Discovery;
        var recovery = options.Recovery;
        return new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["instance-poll-time"] = Nanoseconds(discovery.InstancePollTime),
            ["topo-information-refresh-duration"] = Nanoseconds(discovery.TopoInformationRefreshDuration),
            ["recovery-poll-duration"] = Nanoseconds(options.RecoveryPollDuration),
            ["cells-to-watch"] = discovery.CellsToWatch,
            ["clusters-to-watch"] = options.ClustersToWatch.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ["watch-topology"] = options.TopologyWatch.Enabled,
            ["prevent-cross-cell-failover"] = recovery.PreventCrossCellFailover,
            ["wait-replicas-timeout"] = Nanoseconds(recovery.WaitReplicasTimeout),
            ["tolerable-replication-lag"] = Nanoseconds(recovery.TolerableReplicationLag),
            ["reasonable-replication-lag"] = Nanoseconds(recovery.Analysis.ReasonableReplicationLag),
            ["allow-emergency-reparent"] = recovery.AllowEmergencyReparent,
            ["allow-recovery"] = options.AllowRecovery,
            ["change-tablets-with-errant-gtid-to-drained"] = recovery.ChangeTabletsWithErrantGtidToDrained,
            ["discovery-workers"] = discovery.DiscoveryWorkers,
            ["enable-primary-disk-stalled-recovery"] = discovery.EnablePrimaryDiskStalledRecovery,
            ["max-concurrent-recoveries"] = options.MaxConcurrentRecoveries,
            ["sqlite-data-file"] = options.Store.SqliteDataFile.Length == 0 ? StoreOptions.VitessInMemoryDefault : options.Store.SqliteDataFile,
            ["audit-file-location"] = options.Store.AuditFileLocation,
            ["audit-to-backend"] = options.Store.AuditToBackend,
            ["audit-purge-duration"] = Nanoseconds(options.AuditPurgeDuration),
            ["shutdown-wait-time"] = Nanoseconds(options.ShutdownWaitTime),
            ["recovery-period-block-duration"] = Nanoseconds(recovery.RecoveryPeriodBlockDuration),
            ["remote-operation-timeout"] = Nanoseconds(discovery.RemoteOperationTimeout),
            ["cell"] = options.Cell,
            ["port"] = http.Port,
            ["bind-address"] = http.BindAddress,
            ["security-policy"] = http.SecurityPolicy,
        };
    }

    /// <summary>
    /// Each setting with its value and origin: <c>{"value": …, "source": "default" | "flag" | "config file", "dynamic": …}</c>.
    /// The value is the one in force where the daemon holds it (typed as above), else the text given, else null.
    /// </summary>
    public static SortedDictionary<string, object> WithOrigins(IReadOnlyDictionary<string, object> values, IReadOnlyDictionary<string, SettingOrigin> origins)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(origins);
        var result = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var key in values.Keys.Union(origins.Keys))
        {
            var origin = origins.TryGetValue(key, out var o) ? o : new SettingOrigin("default", null, false);
            result[key] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["value"] = values.TryGetValue(key, out var value) ? value : origin.GivenText,
                ["source"] = origin.Source,
                ["dynamic"] = origin.Dynamic,
            };
        }
        return result;
    }

    private static long Nanoseconds(TimeSpan duration) => duration.Ticks * 100;
}
