using System.CommandLine;
using Microsoft.Extensions.Logging;
using Vtorc.Cli.Daemon;

namespace Vtorc.Cli.Config;

/// <summary>
/// The daemon's settings from its command line and its config file, with viper's precedence (go/viperutil): a flag
/// given on the command line wins over the file, the file wins over the default; this holds again at every reload.
/// The file's values are checked by the same parsers as the flags, so a bad value gets the same message, prefixed
/// with the file and key.
/// </summary>
internal sealed class DaemonConfiguration
{
    private readonly IReadOnlyList<string> _commandLine;
    private readonly IReadOnlySet<string> _givenOnCommandLine;

    private DaemonConfiguration(IReadOnlyList<string> commandLine, IReadOnlySet<string> givenOnCommandLine, ConfigFileSearch search, string? file)
    {
        _commandLine = commandLine;
        _givenOnCommandLine = givenOnCommandLine;
        Search = search;
        FilePath = file;
    }

    public ConfigFileSearch Search { get; }

    /// <summary>The config file in use; null when none was found (then nothing is watched, as in Vitess).</summary>
    public string? FilePath { get; }

    /// <summary>
    /// Finds the config file the flags name and applies the not-found handling: <c>ignore</c>/<c>warn</c> continue
    /// without a file (warn logs it), <c>error</c>/<c>exit</c> refuse to start.
    /// </summary>
    /// <param name="normalizedArgs">The daemon's command line, flag names normalised (<see cref="Flags.FlagSpelling"/>).</param>
    /// <exception cref="ConfigFileException">No file was found and the handling refuses that.</exception>
    public static DaemonConfiguration Locate(IReadOnlyList<string> normalizedArgs, Func<string, string?> environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(normalizedArgs);
        ArgumentNullException.ThrowIfNull(logger);
        var commandLine = new DaemonCommandLine();
        var parsed = commandLine.CreateParser().Parse([.. normalizedArgs]);
        var given = commandLine.All.Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name[2..]).ToHashSet(StringComparer.Ordinal);
        var search = commandLine.ConfigFile.GetSearch(parsed, environment);
        var file = search.Locate();
        if (file is null)
        {
            string searched = search.Describe();
            switch (search.NotFoundHandling)
            {
                case "error":
                case "exit":
                    throw new ConfigFileException(
                        $"no config file found ({searched}); --config-file-not-found-handling={search.NotFoundHandling} refuses to start without one");
                case "warn" when given.Any(k => k.StartsWith("config-", StringComparison.Ordinal)) || search.File.Length > 0:
                    logger.ConfigFileNotFound(LogLevel.Warning, searched);
                    break;
                case "warn":
                    // Only the default search (vtconfig.* in the working directory) came to nothing: worth a line, not a warning.
                    logger.ConfigFileNotFound(LogLevel.Information, searched);
                    break;
                default:
                    logger.ConfigFileNotFound(LogLevel.Debug, searched);
                    break;
            }
        }
        return new DaemonConfiguration(normalizedArgs, given, search, file);
    }

    /// <summary>
    /// Reads the config file (when there is one) and merges it under the command line. Keys that are not settings
    /// are reported in <see cref="ResolvedSettings.Warnings"/> and otherwise ignored, as viper ignores them.
    /// </summary>
    /// <exception cref="ConfigFileException">The file cannot be read or a value in it is not valid for its setting.</exception>
    public ResolvedSettings Resolve()
    {
        var commandLine = new DaemonCommandLine();
        var settings = commandLine.Settings;
        var fromFile = new List<string>();
        var fileKeys = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        if (FilePath is not null)
        {
            var values = ConfigFileReader.Read(FilePath, Search.FormatOf(FilePath), commandLine.DurationKeys);
            foreach (var (key, value) in values)
            {
                if (!settings.ContainsKey(key))
                {
                    warnings.Add(commandLine.All.Any(o => o.Name == "--" + key)
                        ? $"config file \"{FilePath}\": \"{key}\" can only be given on the command line; ignored"
                        : $"config file \"{FilePath}\": \"{key}\" is not a setting of vtorc; ignored");
                    continue;
                }
                fileKeys.Add(key);
                if (!_givenOnCommandLine.Contains(key))
                {
                    fromFile.Add($"--{key}={value}");
                }
            }
            var fileOnly = new DaemonCommandLine().CreateParser().Parse([.. fromFile]);
            if (fileOnly.Errors.Count > 0)
            {
                throw new ConfigFileException($"config file \"{FilePath}\": {string.Join("; ", fileOnly.Errors.Select(e => e.Message))}");
            }
        }

        var merged = commandLine.CreateParser().Parse([.. fromFile, .. _commandLine]);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in commandLine.All)
        {
            var key = option.Name[2..];
            sources[key] = _givenOnCommandLine.Contains(key) ? SettingSource.Flag
                : fileKeys.Contains(key) && settings.ContainsKey(key) ? SettingSource.ConfigFile
                : SettingSource.Default;
        }
        return new ResolvedSettings(commandLine, merged, commandLine.Daemon.GetValues(merged), sources, warnings);
    }
}

/// <summary>The daemon's settings in force: the parsed, merged command line and where each value came from.</summary>
internal sealed record ResolvedSettings(
    DaemonCommandLine CommandLine, ParseResult Parsed, DaemonFlagValues Values, IReadOnlyDictionary<string, string> Sources, IReadOnlyList<string> Warnings)
{
    /// <summary>The settings whose source or value differs from <paramref name="previous"/>, by key.</summary>
    public IReadOnlyList<string> ChangedSince(ResolvedSettings previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var changed = new List<string>();
        foreach (var (key, option) in CommandLine.Settings)
        {
            var before = previous.CommandLine.Settings[key];
            if (!Equals(ValueOf(Parsed, option), ValueOf(previous.Parsed, before)))
            {
                changed.Add(key);
            }
        }
        return changed;
    }

    // The text as given (file or command line) stands for the value: a change of spelling only is reported too, harmlessly.
    private static string? ValueOf(ParseResult parsed, Option option) =>
        parsed.GetResult(option) is { Implicit: false } result ? string.Join(",", result.Tokens.Select(t => t.Value)) + "\u0001" : null;
}
