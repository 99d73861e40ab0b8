using System.Globalization;

namespace Vtorc.Benchmarks.Detection;

/// <summary>Reads <c>--name value</c> options of the detection and lossy-link commands; bad input names the option.</summary>
internal static class BenchArguments
{
    public static string Value(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i < 0 ? fallback : i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{name} needs a value");
    }

    public static int PositiveInt(string[] args, string name, string fallback)
    {
        var text = Value(args, name, fallback);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{name} \"{text}\" must be a positive whole number");
    }

    /// <summary>A duration written as a number and a unit: <c>500ms</c>, <c>5s</c>, <c>30m</c>, <c>1h</c>.</summary>
    public static TimeSpan Duration(string[] args, string name, string fallback)
    {
        var text = Value(args, name, fallback);
        (string Suffix, Func<double, TimeSpan> Make)[] units =
            [("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours)];
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
            {
                return make(amount);
            }
        }
        throw new FormatException($"{name} \"{text}\" must be a positive duration such as 500ms, 5s, 30m or 1h");
    }

    /// <summary>Flags for the daemon, split on blanks (e.g. <c>"--tablet-health-stream=false"</c>); empty when not given.</summary>
    public static IReadOnlyList<string> PassThrough(string[] args, string name) =>
        Value(args, name, "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
