using Microsoft.Extensions.Logging;

namespace Vtorc.Cli;

/// <summary>
/// The log events of the `vtorc` command itself (8000s): config file, termination, flags without effect, log files.
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class CliLogMessages
{
    [LoggerMessage(EventId = 8000, EventName = nameof(ConfigFileWatched), Level = LogLevel.Information, Message = "Watching the config file {File} for changes of the dynamic settings")]
    internal static partial void ConfigFileWatched(this ILogger logger, string file);

    [LoggerMessage(EventId = 8001, EventName = nameof(ConfigChangeNotApplied), Level = LogLevel.Error, Message = "Config file change not applied, the settings in force stay: {Error}")]
    internal static partial void ConfigChangeNotApplied(this ILogger logger, string error);

    [LoggerMessage(EventId = 8002, EventName = nameof(ConfigFileNotFound), Message = "no config file found ({Search}); continuing with flags and defaults")]
    internal static partial void ConfigFileNotFound(this ILogger logger, LogLevel level, string search);

    [LoggerMessage(EventId = 8003, EventName = nameof(ConfigFileRead), Level = LogLevel.Information, Message = "Config file {File} read")]
    internal static partial void ConfigFileRead(this ILogger logger, string file);

    [LoggerMessage(EventId = 8004, EventName = nameof(ConfigFileKeyIgnored), Level = LogLevel.Warning, Message = "{Warning}")]
    internal static partial void ConfigFileKeyIgnored(this ILogger logger, string warning);

    [LoggerMessage(EventId = 8005, EventName = nameof(TerminationRequested), Level = LogLevel.Information, Message = "Termination requested: shutting down (waiting at most {Wait} for running recoveries' shard locks); entering lameduck mode for at least {Lameduck}")]
    internal static partial void TerminationRequested(this ILogger logger, TimeSpan wait, string lameduck);

    [LoggerMessage(EventId = 8006, EventName = nameof(LameduckServing), Level = LogLevel.Information, Message = "Serving HTTP for the rest of the lameduck period ({Remaining})")]
    internal static partial void LameduckServing(this ILogger logger, string remaining);

    [LoggerMessage(EventId = 8007, EventName = nameof(ConfigChangedNothing), Level = LogLevel.Information, Message = "Config file changed; no setting changed")]
    internal static partial void ConfigChangedNothing(this ILogger logger);

    [LoggerMessage(EventId = 8008, EventName = nameof(ConfigChangedApplied), Level = LogLevel.Information, Message = "Config file changed: now in force {Settings}")]
    internal static partial void ConfigChangedApplied(this ILogger logger, string settings);

    [LoggerMessage(EventId = 8009, EventName = nameof(ConfigChangedNeedsRestart), Level = LogLevel.Warning, Message = "Config file changed settings that are read only at start; they take effect at the next start: {Settings}")]
    internal static partial void ConfigChangedNeedsRestart(this ILogger logger, string settings);

    [LoggerMessage(EventId = 8010, EventName = nameof(FlagWithoutEffect), Level = LogLevel.Warning, Message = "{Flag}: accepted, no effect ({Reason})")]
    internal static partial void FlagWithoutEffect(this ILogger logger, string flag, string reason);

    [LoggerMessage(EventId = 8011, EventName = nameof(AuditToSyslogWithoutEffect), Level = LogLevel.Warning, Message = "--audit-to-syslog: accepted, no effect (syslog is not supported; audit entries go to --audit-file-location, the backend (--audit-to-backend) or this log)")]
    internal static partial void AuditToSyslogWithoutEffect(this ILogger logger);

    [LoggerMessage(EventId = 8012, EventName = nameof(ShardTabletHealthFreshnessTooShort), Level = LogLevel.Warning, Message = "--shard-tablet-health-freshness ({Freshness}) is not longer than --instance-poll-time ({Poll}): replica reports may go stale between polls and PrimaryTabletUnreachableByQuorum may never be detected")]
    internal static partial void ShardTabletHealthFreshnessTooShort(this ILogger logger, TimeSpan freshness, TimeSpan poll);

    [LoggerMessage(EventId = 8013, EventName = nameof(LogDirectoryUnreadable), Level = LogLevel.Warning, Message = "Purging old log files: cannot list --log_dir \"{Directory}\": {Error}")]
    internal static partial void LogDirectoryUnreadable(this ILogger logger, string directory, string error);

    [LoggerMessage(EventId = 8014, EventName = nameof(LogFileRemoved), Level = LogLevel.Information, Message = "Removed old log file {File}")]
    internal static partial void LogFileRemoved(this ILogger logger, string file);

    [LoggerMessage(EventId = 8015, EventName = nameof(LogFileNotRemoved), Level = LogLevel.Warning, Message = "Cannot remove old log file {File}: {Error}")]
    internal static partial void LogFileNotRemoved(this ILogger logger, string file, string error);

    [LoggerMessage(EventId = 8016, EventName = nameof(SharedBufferPoolMeasured), Level = LogLevel.Information, Message = "Shared buffer pool: keeps {Kept} arrays of a size across {Cores} cores ({Variable}={Value})")]
    internal static partial void SharedBufferPoolMeasured(this ILogger logger, int kept, int cores, string variable, string value);
}
