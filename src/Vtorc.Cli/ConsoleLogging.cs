using Microsoft.Extensions.Logging;

namespace Vtorc.Cli;

/// <summary>
/// The log format of our long-running commands (daemon, tablet agent): one line per event on stderr, UTC timestamps,
/// so an operator can follow and grep them; stdout stays for what the command reports.
/// </summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(minimum)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(ConfigureSingleLine)
        .AddFilter("Microsoft", LogLevel.Warning));

    /// <summary>Our line format: one line per event, UTC timestamp first.</summary>
    public static void ConfigureSingleLine(Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.SingleLine = true;
        console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        console.UseUtcTimestamp = true;
    }
}
