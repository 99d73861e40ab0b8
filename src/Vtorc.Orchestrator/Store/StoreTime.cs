using System.Globalization;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// Timestamps are stored as fixed-width ISO-8601 UTC text so that string comparison in SQL orders them in time
/// (the retention deletes rely on it).
/// </summary>
public static class StoreTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string ToText(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOrNull(string? text) => string.IsNullOrEmpty(text) ? null : Parse(text);
}
