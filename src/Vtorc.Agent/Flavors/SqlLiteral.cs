using System.Text;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// A string literal escaper for the server's default sql_mode (backslash escapes on). Prefer the connection's
/// <c>MySqlCalls.StringQuoterAsync</c>, which also honours NO_BACKSLASH_ESCAPES; this one serves pure statement
/// building and tests.
/// </summary>
internal static class SqlLiteral
{
    /// <summary>'…' with \, ', ", NUL, newline, carriage return and Ctrl-Z escaped.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\'': text.Append(@"\'"); break;
                case '"': text.Append("\\\""); break;
                case '\0': text.Append(@"\0"); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                case '\x1a': text.Append(@"\Z"); break;
                default: text.Append(c); break;
            }
        }
        return text.Append('\'').ToString();
    }
}
