using System.Text.RegularExpressions;

namespace Vtorc.Agent.MySql;

/// <summary>
/// Query text as it may appear in error messages and logs: passwords in CHANGE MASTER/REPLICATION SOURCE and
/// account statements are replaced by '****', and very long statements are cut.
/// </summary>
internal static partial class QueryRedaction
{
    private const int MaxLength = 2048;

    public static string ForErrorMessage(string query)
    {
        var redacted = PasswordLiteral().Replace(query, m => m.Groups["key"].Value + "'****'");
        return redacted.Length <= MaxLength ? redacted : string.Concat(redacted.AsSpan(0, MaxLength), " [truncated]");
    }

    // MASTER_PASSWORD='x', SOURCE_PASSWORD = "x", IDENTIFIED BY 'x', PASSWORD('x'); quotes may be escaped inside.
    [GeneratedRegex(
        """(?<key>\b(?:MASTER_PASSWORD|SOURCE_PASSWORD)\s*=\s*|\bIDENTIFIED\s+BY\s+|\bPASSWORD\s*\(\s*)(?:'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordLiteral();
}
