using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Vtorc.Cli.Flags;
using Vtorc.Topo;

namespace Vtorc.Cli.Daemon;

/// <summary>
/// The flags of the vtorc daemon under their Vitess v24 names and defaults (go/vt/vtorc/config/config.go), so a Vitess
/// command line runs unchanged. Every value is checked while parsing; errors name the flag and quote the value.
/// Defaults live here (not in System.CommandLine) so --help prints them the way Go does.
/// </summary>
internal sealed class DaemonFlags
{
    public const string DefaultSqliteDataFile = "file::memory:?mode=memory&cache=shared";

    public static readonly IReadOnlyList<string> SecurityPolicies = ["", "read-only", "deny-all"];

    public DurationOption InstancePollTime { get; } = DurationOption.Create(
        "--instance-poll-time", TimeSpan.FromSeconds(5), "how often each tablet is polled", allowZero: false);

    public DurationOption TopoInformationRefreshDuration { get; } = DurationOption.Create(
        "--topo-information-refresh-duration", TimeSpan.FromSeconds(15),
        "how often tablets, keyspaces and shards are re-read from the topology (also the timeout of one refresh)", allowZero: false);

    public DurationOption RecoveryPollDuration { get; } = DurationOption.Create(
        "--recovery-poll-duration", TimeSpan.FromSeconds(1), "how often problems are analysed and recovered", allowZero: false);

    public Option<string?> ClustersToWatch { get; } = CreateClustersToWatch();

    public Option<bool?> WatchTopology { get; } = CreateBool(
        "--watch-topology", true,
        "watch keyspace, shard and tablet records in etcd so changes apply within a second; the periodic refresh runs either way " +
        "(our addition, not a Vitess flag)");

    public Option<bool?> TabletHealthStream { get; } = CreateBool(
        "--tablet-health-stream", true,
        "listen to every watched tablet's health stream (queryservice StreamHealth) and poll a shard at once when a tablet's stream " +
        "reports an error, breaks or falls silent; polling stays the baseline (our addition, not a Vitess flag)");

    public DurationOption TabletHealthStreamTimeout { get; } = DurationOption.Create(
        "--tablet-health-stream-timeout", TimeSpan.FromSeconds(2),
        "how long a health stream whose tablet announces a heartbeat (our agent) may stay silent before it counts as broken; " +
        "at least twice the announced interval; vttablets' streams are never timed out on silence (our addition)", allowZero: false);

    public Option<bool?> PreventCrossCellFailover { get; } = CreateBool(
        "--prevent-cross-cell-failover", false, "emergency reparent promotes only a tablet in the failed primary's cell");

    public DurationOption WaitReplicasTimeout { get; } = DurationOption.Create(
        "--wait-replicas-timeout", TimeSpan.FromSeconds(30), "time a reparent waits for replicas to catch up");

    public DurationOption TolerableReplicationLag { get; } = DurationOption.Create(
        "--tolerable-replication-lag", TimeSpan.Zero, "largest lag of a planned-reparent candidate; 0s = no limit");

    public DurationOption ReasonableReplicationLag { get; } = DurationOption.Create(
        "--reasonable-replication-lag", TimeSpan.FromSeconds(10), "replication lag above which a replica counts as lagging");

    public Option<bool?> AllowEmergencyReparent { get; } = CreateBool(
        "--allow-emergency-reparent", true, "whether emergency reparents may be run");

    public Option<bool?> AllowRecovery { get; } = CreateBool(
        "--allow-recovery", true, "whether recoveries are enabled at start-up");

    public Option<bool?> ChangeTabletsWithErrantGtidToDrained { get; } = CreateBool(
        "--change-tablets-with-errant-gtid-to-drained", false, "change replicas with errant GTIDs to DRAINED");

    public Option<bool?> EnablePrimaryDiskStalledRecovery { get; } = CreateBool(
        "--enable-primary-disk-stalled-recovery", false, "treat a primary whose disk is stalled as dead");

    public Option<int?> DiscoveryWorkers { get; } = CreateInt(
        "--discovery-workers", 300, 1, int.MaxValue, "number of concurrent tablet polls");

    public Option<int?> MaxConcurrentRecoveries { get; } = CreateInt(
        "--max-concurrent-recoveries", Vtorc.Orchestrator.Daemon.OrchestratorOptions.DefaultMaxConcurrentRecoveries, 1, int.MaxValue,
        "how many shards may be recovered at the same time; the others wait for a slot (our flag: Vitess has no bound)");

    public Option<string?> SqliteDataFile { get; } = CreateString(
        "--sqlite-data-file", DefaultSqliteDataFile, "SQLite database holding VTOrc's state");

    public Option<string?> AuditFileLocation { get; } = CreateString(
        "--audit-file-location", "", "file that audit entries are appended to; empty = none");

    public Option<bool?> AuditToBackend { get; } = CreateBool(
        "--audit-to-backend", false, "write audit entries into the backend database");

    public Option<bool?> AuditToSyslog { get; } = CreateBool(
        "--audit-to-syslog", false, "accepted, no effect: syslog is not supported");

    public DurationOption AuditPurgeDuration { get; } = DurationOption.Create(
        "--audit-purge-duration", TimeSpan.FromHours(168), "how long audit entries are kept (whole days)");

    public DurationOption ShutdownWaitTime { get; } = DurationOption.Create(
        "--shutdown-wait-time", TimeSpan.FromSeconds(30), "how long shutdown waits for shard locks held by recoveries");

    public DurationOption RecoveryPeriodBlockDuration { get; } = DurationOption.Create(
        "--recovery-period-block-duration", TimeSpan.FromSeconds(30),
        "after a shard-wide recovery, another one on the same shard is blocked for this period unless the first is " +
        "acknowledged (our behaviour; Vitess deprecated and ignores this flag)");

    public Option<string?> Cell { get; } = CreateString("--cell", "", "cell this VTOrc runs in; optional");

    public Option<string?> CellsToWatch { get; } = CreateString(
        "--cells-to-watch", "", "comma-separated cells whose tablets are discovered; empty = all cells (Vitess v24.0.0 and main)");

    public Option<int?> Port { get; } = CreateInt("--port", 0, 0, 65535, "HTTP port; 0 = no HTTP server");

    public Option<string?> BindAddress { get; } = CreateString(
        "--bind-address", "", "address the HTTP server listens on; empty = all interfaces");

    public Option<string?> SecurityPolicy { get; } = CreateSecurityPolicy();

    public TopoFlags Topo { get; } = new();

    /// <summary>The flags of Vitess main's opt-in PrimaryTabletUnreachableByQuorum detection.</summary>
    public QuorumFlags Quorum { get; } = new();

    /// <summary>HTTPS of --port (our flags; the TLS flags towards tablets are <see cref="TabletTlsFlags"/>).</summary>
    public HttpTlsFlags HttpTls { get; } = new();

    public IEnumerable<Option> All =>
    [
        InstancePollTime.Option, TopoInformationRefreshDuration.Option, RecoveryPollDuration.Option, ClustersToWatch, WatchTopology,
        TabletHealthStream, TabletHealthStreamTimeout.Option, PreventCrossCellFailover, WaitReplicasTimeout.Option, TolerableReplicationLag.Option, ReasonableReplicationLag.Option,
        AllowEmergencyReparent, AllowRecovery, ChangeTabletsWithErrantGtidToDrained, EnablePrimaryDiskStalledRecovery,
        DiscoveryWorkers, MaxConcurrentRecoveries, SqliteDataFile, AuditFileLocation, AuditToBackend, AuditToSyslog, AuditPurgeDuration.Option,
        ShutdownWaitTime.Option, RecoveryPeriodBlockDuration.Option, Cell, CellsToWatch, Port, BindAddress, SecurityPolicy,
        .. Quorum.All,
    ];

    /// <summary>The boolean flags, whose "=value" needs the early check of <see cref="CheckBooleanValues"/>.</summary>
    public IEnumerable<Option<bool?>> Booleans => All.OfType<Option<bool?>>();

    /// <summary>Adds the daemon flags and the topo flags to <paramref name="command"/> (not to its subcommands).</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }

        Topo.AddTo(command);
        HttpTls.AddTo(command);
    }

    public DaemonFlagValues GetValues(ParseResult parseResult) => new(
        InstancePollTime.GetValue(parseResult),
        TopoInformationRefreshDuration.GetValue(parseResult),
        RecoveryPollDuration.GetValue(parseResult),
        parseResult.GetValue(ClustersToWatch) ?? "",
        parseResult.GetValue(PreventCrossCellFailover) ?? false,
        WaitReplicasTimeout.GetValue(parseResult),
        TolerableReplicationLag.GetValue(parseResult),
        ReasonableReplicationLag.GetValue(parseResult),
        parseResult.GetValue(AllowEmergencyReparent) ?? true,
        parseResult.GetValue(AllowRecovery) ?? true,
        parseResult.GetValue(ChangeTabletsWithErrantGtidToDrained) ?? false,
        parseResult.GetValue(EnablePrimaryDiskStalledRecovery) ?? false,
        parseResult.GetValue(DiscoveryWorkers) ?? 300,
        parseResult.GetValue(SqliteDataFile) ?? DefaultSqliteDataFile,
        parseResult.GetValue(AuditFileLocation) ?? "",
        parseResult.GetValue(AuditToBackend) ?? false,
        parseResult.GetValue(AuditToSyslog) ?? false,
        AuditPurgeDuration.GetValue(parseResult),
        ShutdownWaitTime.GetValue(parseResult),
        RecoveryPeriodBlockDuration.GetValue(parseResult),
        parseResult.GetValue(Cell) ?? "",
        parseResult.GetValue(Port) ?? 0,
        parseResult.GetValue(BindAddress) ?? "",
        parseResult.GetValue(SecurityPolicy) ?? "",
        parseResult.GetValue(WatchTopology) ?? true,
        parseResult.GetValue(MaxConcurrentRecoveries) ?? Vtorc.Orchestrator.Daemon.OrchestratorOptions.DefaultMaxConcurrentRecoveries,
        parseResult.GetValue(TabletHealthStream) ?? true,
        TabletHealthStreamTimeout.GetValue(parseResult))
    {
        CellsToWatch = parseResult.GetValue(CellsToWatch) ?? "",
        Quorum = Quorum.GetValue(parseResult),
    };

    /// <summary>
    /// The reason the --clusters-to-watch value cannot be used, or null. Only a shard part that is not a key range
    /// is fatal (as in go/vt/vtorc/logic/tablet_discovery.go); other malformed entries are skipped by discovery with a
    /// log line.
    /// </summary>
    public static string? CheckClustersToWatch(string value)
    {
        // The discovery's own parser decides, so the flag check and what the daemon watches cannot disagree.
        try
        {
            Vtorc.Orchestrator.Discovery.ClustersToWatch.Parse(value);
            return null;
        }
        catch (FormatException e)
        {
            return $"invalid value \"{value}\" for flag --clusters-to-watch: {e.Message}";
        }
    }

    /// <summary>
    /// System.CommandLine leaves a boolean flag's "=value" unconsumed when it is not true/false and then reports only
    /// an unrecognised argument; this finds such a value first so the error names the flag. Null when all are fine.
    /// </summary>
    public static string? CheckBooleanValues(IReadOnlyList<string> normalizedArgs, IEnumerable<Option<bool?>> booleanOptions)
    {
        ArgumentNullException.ThrowIfNull(normalizedArgs);
        var booleans = booleanOptions.ToList();
        foreach (var arg in normalizedArgs.TakeWhile(a => a != "--"))
        {
            foreach (var option in booleans)
            {
                var prefix = option.Name + "=";
                if (arg.StartsWith(prefix, StringComparison.Ordinal) && !bool.TryParse(arg[prefix.Length..], out _))
                {
                    return $"invalid value \"{arg[prefix.Length..]}\" for flag {option.Name}: expected true or false";
                }
            }
        }

        return null;
    }

    private static string LastToken(SymbolResult result, string fallback) =>
        result.Tokens.Count > 0 ? result.Tokens[^1].Value : fallback;

    internal static Option<bool?> CreateBool(string name, bool defaultValue, string description) => new(name)
    {
        Description = $"{description} (default {(defaultValue ? "true" : "false")})",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return true;
            }

            var text = LastToken(result, "");
            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"invalid value \"{text}\" for flag {name}: expected true or false");
            return null;
        },
    };

    internal static Option<int?> CreateInt(string name, int defaultValue, int min, int max, string description) => new(name)
    {
        Description = $"{description} (default {defaultValue.ToString(CultureInfo.InvariantCulture)})",
        HelpName = "int",
        CustomParser = result =>
        {
            var text = LastToken(result, "");
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"invalid value \"{text}\" for flag {name}: expected an integer");
                return null;
            }

            if (value < min || value > max)
            {
                result.AddError(max == int.MaxValue
                    ? $"invalid value \"{text}\" for flag {name}: must be at least {min}"
                    : $"invalid value \"{text}\" for flag {name}: must be between {min} and {max}");
                return null;
            }

            return value;
        },
    };

    private static Option<string?> CreateString(string name, string defaultValue, string description) => new(name)
    {
        Description = defaultValue.Length == 0 ? description : $"{description} (default \"{defaultValue}\")",
        HelpName = "string",
    };

    private static Option<string?> CreateClustersToWatch()
    {
        var option = CreateString(
            "--clusters-to-watch", "",
            "comma-separated keyspaces or keyspace/key-range entries to watch (ks, ks/-80, ks/0); empty = all keyspaces");
        option.Validators.Add(result =>
        {
            if (CheckClustersToWatch(LastToken(result, "")) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }

    private static Option<string?> CreateSecurityPolicy()
    {
        var option = CreateString("--security-policy", "", "HTTP security policy: empty (allow all), read-only or deny-all");
        option.Validators.Add(result =>
        {
            var text = LastToken(result, "");
            if (!SecurityPolicies.Contains(text))
            {
                result.AddError($"invalid value \"{text}\" for flag --security-policy: expected \"\", \"read-only\" or \"deny-all\"");
            }
        });
        return option;
    }
}
