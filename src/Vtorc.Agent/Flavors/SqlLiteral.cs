using System.Text;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// A string literal escaper for the server's default sql_mode (backslash escapes on). Prefer the connection's
/// <c>MySqlConnection.QuoteString</c>, which also honours NO_BACKSLASH_ESCAPES; this one serves pure statement
/// building and tests.
/// </summary>
public static class SqlLiteral
{
    /// <summary>'…' with \, ', ", NUL, newline, carriage return and Ctrl-Z escaped.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\'' => text.Append(@"\'"),
                '"' => text.Append("\\\""),
                '\0' => text.Append(@"\0"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                '\x1a' => text.Append(@"\Z"),
                _ => text.Append(c),
            };
        }
        return text.Append('\'').ToString();
    }
}
