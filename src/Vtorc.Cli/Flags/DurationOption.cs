using System.CommandLine;

namespace Vtorc.Cli.Flags;

/// <summary>A flag holding a Go-style duration; a malformed or negative value is an error naming the flag.</summary>
public static class DurationOption
{
    public static Option<TimeSpan> Create(string name, TimeSpan defaultValue, string description, bool allowZero = true)
    {
        var option = new Option<TimeSpan>(name)
        {
            Description = $"{description} (default {GoDuration.Format(defaultValue)})",
            HelpName = "duration",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (!GoDuration.TryParse(text, out var value, out var error))
                {
                    result.AddError($"invalid value \"{text}\" for flag {name}: {error}");
                    return defaultValue;
                }

                if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
                {
                    result.AddError($"invalid value \"{text}\" for flag {name}: must be {(allowZero ? "zero or positive" : "positive")}");
                    return defaultValue;
                }

                return value;
            },
        };
        return option;
    }
}
