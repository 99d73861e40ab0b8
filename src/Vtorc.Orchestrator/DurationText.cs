using System.Globalization;
using System.Text;

namespace Vtorc.Orchestrator;

/// <summary>
/// Durations the way Go (and so Vitess's flags) write them — "1s", "1m30s", "1h2m0s", "500ms" — so that what the
/// logs and the status page show reads like the flag an operator typed.
/// </summary>
public static class DurationText
{
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }
        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }
        var text = new StringBuilder();
        if (duration.TotalHours >= 1)
        {
            text.Append(((long)duration.TotalHours).ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (duration.TotalMinutes >= 1)
        {
            text.Append(duration.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        double seconds = duration.Seconds + duration.Milliseconds / 1000.0;
        text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }
}
