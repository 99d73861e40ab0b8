using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli.Logging;

/// <summary>
/// Vitess's logging flags (glog's in go/vt/log/flags.go up to v23, slog's from v24) mapped onto our one logger:
/// without <c>--log_dir</c> everything goes to stderr (as Vitess v24 logs); with it, log files are written there and
/// stderr gets what glog would copy to it (<c>--stderrthreshold</c>, everything with <c>--alsologtostderr</c>, only
/// stderr with <c>--logtostderr</c>). The level comes from <c>--log-level</c>, lowered to debug by <c>--v</c> ≥ 1.
/// </summary>
internal sealed class LoggingFlags
{
    public static readonly IReadOnlyList<string> Levels = ["debug", "info", "warn", "error"];

    public static readonly IReadOnlyList<string> Formats = ["text", "json"];

    public Option<bool?> LogToStderr { get; } = Bool("--logtostderr", "log to stderr only, no log files");

    public Option<bool?> AlsoLogToStderr { get; } = Bool("--alsologtostderr", "with --log_dir: log to stderr as well as to the files");

    public Option<string?> StderrThreshold { get; } = new("--stderrthreshold")
    {
        Description = "with --log_dir: lines at or above this level are copied to stderr: 0/INFO, 1/WARNING, 2/ERROR, 3/FATAL (default 1)",
        HelpName = "severity",
        Validators = { r => Check(r, "--stderrthreshold", t => ParseSeverity(t) is not null, "expected 0-3 or INFO, WARNING, ERROR, FATAL") },
    };

    public Option<string?> LogDir { get; } = CreateLogDir();

    public Option<int?> Verbosity { get; } = new("--v")
    {
        Description = "glog verbosity; 1 or more logs at debug level (default 0)",
        HelpName = "level",
    };

    public Option<long?> LogRotateMaxSize { get; } = new("--log-rotate-max-size")
    {
        Description = "size in bytes at which a log file in --log_dir is closed and a new one started (default 1887436800)",
        HelpName = "uint",
    };

    public Option<string?> LogLevel { get; } = new("--log-level")
    {
        Description = "minimum level logged: debug, info, warn or error (default \"info\")",
        HelpName = "string",
        Validators = { r => Check(r, "--log-level", t => Levels.Contains(t), "expected debug, info, warn or error") },
    };

    public Option<string?> LogFormat { get; } = new("--log-format")
    {
        Description = "text (one line per event, our default) or json (one JSON object per event, Vitess v24's default) (default \"text\")",
        HelpName = "string",
        Validators = { r => Check(r, "--log-format", t => Formats.Contains(t), "expected text or json") },
    };

    public DurationOption KeepLogs { get; } = DurationOption.Create("--keep-logs", TimeSpan.Zero,
        "remove our log files in --log_dir whose start time (in the file name) is older than this; 0 keeps them for ever");

    public DurationOption KeepLogsByMtime { get; } = DurationOption.Create("--keep-logs-by-mtime", TimeSpan.Zero,
        "remove our log files in --log_dir last written longer ago than this; 0 keeps them for ever");

    public DurationOption PurgeLogsInterval { get; } = DurationOption.Create("--purge-logs-interval", LogPurgeSettings.DefaultInterval,
        "how often old log files are removed (with --keep-logs or --keep-logs-by-mtime)", allowZero: false);

    public IEnumerable<Option> All =>
        [LogToStderr, AlsoLogToStderr, StderrThreshold, LogDir, Verbosity, LogRotateMaxSize, LogLevel, LogFormat, KeepLogs.Option, KeepLogsByMtime.Option,
            PurgeLogsInterval.Option];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }
    }

    /// <summary>The loggers these flags ask for.</summary>
    /// <exception cref="IOException">--log_dir cannot be written; the message names it.</exception>
    public DaemonLogging Create(ParseResult parseResult)
    {
        var minimum = (parseResult.GetValue(LogLevel) ?? "info") switch
        {
            "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
            "warn" => Microsoft.Extensions.Logging.LogLevel.Warning,
            "error" => Microsoft.Extensions.Logging.LogLevel.Error,
            _ => Microsoft.Extensions.Logging.LogLevel.Information,
        };
        if ((parseResult.GetValue(Verbosity) ?? 0) >= 1 && minimum > Microsoft.Extensions.Logging.LogLevel.Debug)
        {
            minimum = Microsoft.Extensions.Logging.LogLevel.Debug;
        }

        var directory = parseResult.GetValue(LogDir) ?? "";
        var toFiles = directory.Length > 0 && parseResult.GetValue(LogToStderr) != true;
        var stderrMinimum = !toFiles || parseResult.GetValue(AlsoLogToStderr) == true
            ? minimum
            : Max(minimum, ParseSeverity(parseResult.GetValue(StderrThreshold) ?? "1") ?? Microsoft.Extensions.Logging.LogLevel.Warning);
        var files = toFiles ? new LogDirectoryProvider(directory, parseResult.GetValue(LogRotateMaxSize) ?? 1887436800) : null;
        var json = parseResult.GetValue(LogFormat) == "json";
        var factory = LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(minimum)
                .AddFilter("Microsoft", Microsoft.Extensions.Logging.LogLevel.Warning)
                .AddFilter<ConsoleLoggerProvider>(null, stderrMinimum)
                // A provider's own rule beats the category rule above, so the framework's chatter is held back here too.
                .AddFilter<ConsoleLoggerProvider>("Microsoft", Max(stderrMinimum, Microsoft.Extensions.Logging.LogLevel.Warning))
                .AddConsole(console => console.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace);
            if (json)
            {
                logging.AddJsonConsole(console =>
                {
                    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    console.UseUtcTimestamp = true;
                });
            }
            else
            {
                logging.AddSimpleConsole(ConsoleLogging.ConfigureSingleLine);
            }
            if (files is not null)
            {
                logging.AddProvider(files);
            }
        });
        var purge = new LogPurgeSettings(KeepLogs.GetValue(parseResult), KeepLogsByMtime.GetValue(parseResult), PurgeLogsInterval.GetValue(parseResult));
        var purger = files is not null && purge.RemovesAnything
            ? new LogPurger(files.Directory, () => files.CurrentFile, purge, factory.CreateLogger("vtorc"), TimeProvider.System)
            : null;
        return new DaemonLogging(factory, files, purger);
    }

    /// <summary>glog's severity: a number 0–3 or its name.</summary>
    public static Microsoft.Extensions.Logging.LogLevel? ParseSeverity(string text) => text.ToUpperInvariant() switch
    {
        "0" or "INFO" => Microsoft.Extensions.Logging.LogLevel.Information,
        "1" or "WARNING" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "2" or "ERROR" => Microsoft.Extensions.Logging.LogLevel.Error,
        "3" or "FATAL" => Microsoft.Extensions.Logging.LogLevel.Critical,
        _ => null,
    };

    private static Microsoft.Extensions.Logging.LogLevel Max(Microsoft.Extensions.Logging.LogLevel a, Microsoft.Extensions.Logging.LogLevel b) => a > b ? a : b;

    private static Option<string?> CreateLogDir()
    {
        var option = new Option<string?>("--log_dir", "--log-dir")
        {
            Description = "write log files in this directory (created if missing)",
            HelpName = "string",
        };
        return option;
    }

    private static void Check(OptionResult result, string name, Func<string, bool> valid, string expected)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (!valid(text))
        {
            result.AddError($"invalid value \"{text}\" for flag {name}: {expected}");
        }
    }

    private static Option<bool?> Bool(string name, string description) => new(name)
    {
        Description = $"{description} (default false)",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result => NoEffectFlags.ParseBool(result, name),
    };
}

/// <summary>The daemon's loggers, the log-file writer behind them and the purge of old files (disposed together).</summary>
internal sealed class DaemonLogging(ILoggerFactory factory, LogDirectoryProvider? files, LogPurger? purger = null) : IDisposable
{
    public ILoggerFactory Factory => factory;

    /// <summary>The log file being written, or null when logging to stderr only.</summary>
    public string? CurrentFile => files?.CurrentFile;

    public void Dispose()
    {
        // The purge logs through the factory: it stops first.
        purger?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        factory.Dispose();
        files?.Dispose();
    }
}
