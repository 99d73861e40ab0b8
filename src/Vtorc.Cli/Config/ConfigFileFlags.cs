using System.CommandLine;
using System.CommandLine.Parsing;

namespace Vtorc.Cli.Config;

/// <summary>
/// Where the config file is (go/viperutil/config.go): <c>--config-file</c> (a full path), else <c>--config-name</c>
/// searched in each <c>--config-path</c>; each defaults to its <c>VT_CONFIG_*</c> environment variable, as in Vitess.
/// </summary>
internal sealed class ConfigFileFlags
{
    public static readonly IReadOnlyList<string> NotFoundHandlings = ["ignore", "warn", "error", "exit"];

    public Option<string?> File { get; } = new("--config-file")
    {
        Description = "full path of the config file, with its extension; overrides --config-path/--config-name/--config-type (env VT_CONFIG_FILE)",
        HelpName = "string",
    };

    public Option<string[]> Path { get; } = new("--config-path")
    {
        Description = "directories searched for --config-name, in order; repeat the flag or separate with commas (default: the working directory; env VT_CONFIG_PATH)",
        HelpName = "strings",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Name { get; } = new("--config-name")
    {
        Description = "name of the config file, without extension (default \"vtconfig\"; env VT_CONFIG_NAME)",
        HelpName = "string",
    };

    public Option<string?> Type { get; } = new("--config-type")
    {
        Description = "format of the config file when its extension does not say: yaml, yml or json (env VT_CONFIG_TYPE)",
        HelpName = "string",
    };

    public Option<string?> NotFoundHandling { get; } = new("--config-file-not-found-handling")
    {
        Description = "what to do when no config file is found: ignore, warn (log and continue), error (refuse to start) or exit (default warn)",
        HelpName = "string",
        Validators =
        {
            r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (!NotFoundHandlings.Contains(text))
                {
                    r.AddError($"invalid value \"{text}\" for flag --config-file-not-found-handling: expected ignore, warn, error or exit");
                }
            },
        },
    };

    public IEnumerable<Option> All => [File, Path, Name, Type, NotFoundHandling];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }
    }

    /// <summary>The search these flags (or the environment) describe.</summary>
    public ConfigFileSearch GetSearch(ParseResult parseResult, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(environment);
        string Or(Option<string?> option, string variable, string fallback) =>
            parseResult.GetResult(option) is { Implicit: false } ? parseResult.GetValue(option) ?? fallback : environment(variable) ?? fallback;

        var paths = parseResult.GetResult(Path) is { Implicit: false }
            ? parseResult.GetValue(Path) ?? []
            : (environment("VT_CONFIG_PATH") is { Length: > 0 } fromEnvironment ? [fromEnvironment] : []);
        var split = paths.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        return new ConfigFileSearch(
            Or(File, "VT_CONFIG_FILE", ""),
            split.Length == 0 ? [Directory.GetCurrentDirectory()] : split,
            Or(Name, "VT_CONFIG_NAME", "vtconfig"),
            Or(Type, "VT_CONFIG_TYPE", ""),
            parseResult.GetValue(NotFoundHandling) ?? "warn");
    }
}
