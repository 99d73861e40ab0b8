using System.Globalization;
using System.Text.RegularExpressions;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// Reads RFC 3339 times (<c>2026-11-22T06:00:00Z</c>, <c>2026-11-22T08:00:00.123456789+02:00</c>), the form Go writes
/// <c>time.Time</c> in. Fractions beyond .NET's 100 ns resolution are truncated.
/// </summary>
public static partial class Rfc3339Time
{
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (text is null)
        {
            return false;
        }
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        var fraction = match.Groups["fraction"].Value;
        if (fraction.Length > 7)
        {
            fraction = fraction[..7];
        }
        var zone = match.Groups["zone"].Value;
        var normalized = match.Groups["date"].Value + "T" + match.Groups["clock"].Value
            + (fraction.Length == 0 ? "" : "." + fraction)
            + (zone is "Z" or "z" ? "+00:00" : zone);
        return DateTimeOffset.TryParseExact(normalized,
            fraction.Length == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss." + new string('F', fraction.Length) + "zzz",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt](?<clock>\d{2}:\d{2}:\d{2})(?:\.(?<fraction>\d{1,9}))?(?<zone>[Zz]|[+-]\d{2}:\d{2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
