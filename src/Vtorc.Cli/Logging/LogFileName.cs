using System.Globalization;
using System.Text.RegularExpressions;

namespace Vtorc.Cli.Logging;

/// <summary>
/// The names of our log files in <c>--log_dir</c>: <c>vtorc.&lt;UTC start yyyyMMdd-HHmmss.fff&gt;.&lt;pid&gt;.&lt;n&gt;.log</c>
/// (n counts the files of one process). The start time in the name is what <c>--keep-logs</c> ages files by, as glog's
/// purge reads the time from its own names (go/vt/logutil/purge.go).
/// </summary>
internal static partial class LogFileName
{
    /// <summary>The link to the file being written (never purged: it is no regular file).</summary>
    public const string CurrentLink = "vtorc.log";

    public static string Create(DateTime startUtc, int processId, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"vtorc.{startUtc:yyyyMMdd-HHmmss.fff}.{processId}.{sequence}.log");

    /// <summary>The start time in one of our file names; false for any other name.</summary>
    public static bool TryParseStart(string fileName, out DateTimeOffset start)
    {
        start = default;
        var match = Pattern().Match(fileName);
        return match.Success && DateTimeOffset.TryParseExact(match.Groups["start"].Value, "yyyyMMdd-HHmmss.fff", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);
    }

    [GeneratedRegex(@"^vtorc\.(?<start>\d{8}-\d{6}\.\d{3})\.\d+\.\d+\.log$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
