using System.Text;

namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// The CamelCase → snake_case conversion Vitess applies to stat names for Prometheus: a word starts at an upper-case
/// letter after a lower-case letter or digit, or at the last capital of an acronym followed by lower case
/// (<c>CurrentErrantGTIDCount</c> → <c>current_errant_gtid_count</c>); '-', '.' and ' ' become '_'.
/// </summary>
internal static class SnakeCaseName
{
    public static string Convert(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c is '-' or '.' or ' ')
            {
                result.Append('_');
                continue;
            }
            if (!char.IsUpper(c))
            {
                result.Append(c);
                continue;
            }
            if (i > 0 && result[^1] != '_')
            {
                char previous = name[i - 1];
                bool nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    result.Append('_');
                }
            }
            result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }
}
