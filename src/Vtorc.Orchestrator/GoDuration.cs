using System.Globalization;

namespace Vtorc.Orchestrator;

/// <summary>
/// Durations as Vitess flags write them (Go's time.ParseDuration syntax: "30s", "1m30s", "500ms", "1.5h"),
/// so that existing Vitess command lines work unchanged.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty duration";
            return false;
        }

        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return true;
        }

        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"expected a number at position {start + 1}";
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            var unit = s[unitStart..i];
            var factor = Array.Find(Units, u => u.Unit == unit).Ticks;
            if (factor == 0)
            {
                error = unit.Length == 0
                    ? "missing unit (use ns, us, ms, s, m or h, e.g. 30s)"
                    : $"unknown unit '{unit}' (use ns, us, ms, s, m or h)";
                return false;
            }

            ticks += number * factor;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                error = "duration out of range";
                return false;
            }
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks) * (negative ? -1 : 1));
        return true;
    }

    /// <summary>Formats like Go does for the common cases ("30s", "1m30s", "500ms", "0s"), for --help defaults.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = value < TimeSpan.Zero ? "-" : "";
        value = value.Duration();
        if (value < TimeSpan.FromSeconds(1))
        {
            return sign + (value.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms"
                : (value.Ticks / 10.0).ToString(CultureInfo.InvariantCulture) + "us");
        }

        var text = "";
        if (value.TotalHours >= 1)
        {
            text += $"{(long)value.TotalHours}h";
        }

        if (value.TotalMinutes >= 1)
        {
            text += $"{value.Minutes}m";
        }

        var seconds = value.Seconds + value.Milliseconds / 1000.0;
        text += seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return sign + text;
    }
}
