using System.CommandLine;
using Vtorc.Cli.Config;
using Vtorc.Cli.Flags;
using Vtorc.Cli.Logging;

namespace Vtorc.Cli.Daemon;

/// <summary>
/// Every flag of the daemon, in groups: its settings (<see cref="DaemonFlags"/>, with the topology flags), logging,
/// the config file, TLS towards the tablets, and Vitess's flags that have no effect here. Together they are the
/// command line of Vitess's <c>vtorc</c> v22–v24 and main (go/flags/endtoend/vtorc.txt).
/// </summary>
internal sealed class DaemonCommandLine
{
    /// <summary>The settings a config file may set: the VTOrc settings Vitess registers with viper
    /// (go/vt/vtorc/config/config.go) and our own daemon settings. The topology, HTTP, logging and config-file flags
    /// are command-line only, as in Vitess.</summary>
    private static readonly HashSet<string> CommandLineOnly = new(StringComparer.Ordinal) { "port", "bind-address", "security-policy" };

    /// <summary>Viper settings of VTOrc that have no effect here but may still appear in a config file.</summary>
    private static readonly HashSet<string> NoEffectSettings = new(StringComparer.Ordinal)
    {
        "snapshot-topology-interval", "backend-read-concurrency", "backend-write-concurrency",
    };

    /// <summary>
    /// The settings Vitess registers as dynamic (<c>Dynamic: true</c> in go/vt/vtorc/config/config.go): re-read when
    /// the config file changes. <c>allow-recovery</c> and <c>cell</c> are registered dynamic but read once at start in
    /// Vitess, so they are static here. <c>recovery-period-block-duration</c> is ours and dynamic too.
    /// </summary>
    public static readonly IReadOnlySet<string> DynamicKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "instance-poll-time", "prevent-cross-cell-failover", "reasonable-replication-lag", "audit-to-backend", "audit-to-syslog",
        "audit-purge-duration", "wait-replicas-timeout", "tolerable-replication-lag", "topo-information-refresh-duration",
        "recovery-poll-duration", "allow-emergency-reparent", "change-tablets-with-errant-gtid-to-drained",
        "enable-primary-disk-stalled-recovery", "emergency-reparent-on-primary-tablet-unreachable",
        "shard-tablet-health-failure-threshold", "shard-tablet-health-freshness", "shard-tablet-health-quorum-fraction",
        "shard-tablet-health-quorum-min-observers", "recovery-period-block-duration",
    };

    public DaemonCommandLine()
    {
        foreach (var option in Settings.Values.Where(o => DynamicKeys.Contains(o.Name[2..])))
        {
            option.Description += "; dynamic: re-read when the config file changes";
        }
    }

    public DaemonFlags Daemon { get; } = new();

    public Option<string?> PidFile { get; } = new("--pid-file")
    {
        Description = "write the process id to this file at start and remove it on a clean shutdown",
        HelpName = "string",
    };

    /// <summary>servenv's --lameduck-period (go/vt/servenv/run.go): command-line only, as in Vitess.</summary>
    public DurationOption LameduckPeriod { get; } = DurationOption.Create("--lameduck-period", TimeSpan.FromMilliseconds(50),
        "after SIGTERM, keep serving HTTP at least this long (counted from the signal, overlapping the wait for running recoveries) " +
        "while /debug/health answers 500 \"shutting down\"");

    public LoggingFlags Logging { get; } = new();

    public ConfigFileFlags ConfigFile { get; } = new();

    public TabletClientFlags TabletClient { get; } = new();

    public TabletTlsFlags TabletTls { get; } = new();

    public NoEffectFlags NoEffect { get; } = new();

    /// <summary>The flags a config file may set, by key (the flag name without dashes).</summary>
    public IReadOnlyDictionary<string, Option> Settings =>
        Daemon.All.Where(o => !CommandLineOnly.Contains(o.Name[2..]))
            .Concat(NoEffect.Flags.Select(f => f.Option).Where(o => NoEffectSettings.Contains(o.Name[2..])))
            .ToDictionary(o => o.Name[2..], StringComparer.Ordinal);

    /// <summary>Every option of the daemon (the subcommands have their own).</summary>
    public IEnumerable<Option> All =>
    [
        .. Daemon.All, PidFile, LameduckPeriod.Option, .. Daemon.Topo.All, .. Logging.All, .. ConfigFile.All, .. TabletClient.All, .. TabletTls.All, .. NoEffect.Flags.Select(f => f.Option),
    ];

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Daemon.AddTo(command);
        command.Add(PidFile);
        command.Add(LameduckPeriod.Option);
        Logging.AddTo(command);
        ConfigFile.AddTo(command);
        TabletClient.AddTo(command);
        TabletTls.AddTo(command);
        NoEffect.AddTo(command);
    }

    /// <summary>A root command with only the daemon's flags (to parse a merged command line).</summary>
    public RootCommand CreateParser()
    {
        var root = new RootCommand();
        AddTo(root);
        return root;
    }

    /// <summary>The durations among the settings (a bare number in a config file means nanoseconds for them).</summary>
    public IReadOnlySet<string> DurationKeys =>
        Settings.Where(s => s.Value is Option<TimeSpan?>).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>Like <see cref="DaemonFlags.CheckBooleanValues"/> over every boolean flag of the daemon.</summary>
    public string? CheckBooleanValues(IReadOnlyList<string> normalizedArgs) =>
        DaemonFlags.CheckBooleanValues(normalizedArgs, All.OfType<Option<bool?>>());
}
