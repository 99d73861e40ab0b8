using Vtorc.Orchestrator;
using System.CommandLine;

namespace Vtorc.Cli.Flags;

/// <summary>
/// A flag holding a Go-style duration ("30s", "1m30s"); a malformed or negative value is an error naming the
/// flag. The default is kept here rather than in System.CommandLine so that --help shows it in Go's spelling.
/// </summary>
internal sealed class DurationOption
{
    private DurationOption(Option<TimeSpan?> option, TimeSpan defaultValue)
    {
        Option = option;
        Default = defaultValue;
    }

    public Option<TimeSpan?> Option { get; }

    public TimeSpan Default { get; }

    public string Name => Option.Name;

    public TimeSpan GetValue(ParseResult parseResult) => parseResult.GetValue(Option) ?? Default;

    public static DurationOption Create(string name, TimeSpan defaultValue, string description, bool allowZero = true)
    {
        var option = new Option<TimeSpan?>(name)
        {
            Description = $"{description} (default {GoDuration.Format(defaultValue)})",
            HelpName = "duration",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (!GoDuration.TryParse(text, out var value, out var error))
                {
                    result.AddError($"invalid value \"{text}\" for flag {name}: {error}");
                    return null;
                }

                if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
                {
                    result.AddError($"invalid value \"{text}\" for flag {name}: must be {(allowZero ? "zero or positive" : "positive")}");
                    return null;
                }

                return value;
            },
        };
        return new DurationOption(option, defaultValue);
    }
}
