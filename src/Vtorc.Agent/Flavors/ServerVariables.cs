using System.Text;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// SHOW GLOBAL VARIABLES / SHOW GLOBAL STATUS for a list of names, and their two-column answers as dictionaries.
/// Names are restricted to [A-Za-z0-9_] so they can be written into SQL without quoting pitfalls.
/// </summary>
internal static class ServerVariables
{
    /// <summary>SHOW GLOBAL STATUS for the given names (GetGlobalStatusVars); all status values when the list is empty.</summary>
    /// <exception cref="ArgumentException">A name has a character outside [A-Za-z0-9_]; the message quotes it.</exception>
    public static string GlobalStatusQuery(IEnumerable<string> names) => Show("STATUS", names);

    /// <summary>SHOW GLOBAL VARIABLES for the given names; all variables when the list is empty.</summary>
    /// <exception cref="ArgumentException">A name has a character outside [A-Za-z0-9_]; the message quotes it.</exception>
    public static string GlobalVariablesQuery(IEnumerable<string> names) => Show("VARIABLES", names);

    /// <summary>
    /// Variable_name → Value from the rows of a SHOW … VARIABLES/STATUS answer, names compared case-insensitively
    /// (NULL values become "").
    /// </summary>
    public static IReadOnlyDictionary<string, string> ToDictionary(IEnumerable<RowValues> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            var name = row.Get("Variable_name")
                ?? throw new FormatException($"row ({row}) has no Variable_name column");
            values[name] = row.GetText("Value");
        }
        return values;
    }

    /// <summary>Throws <see cref="ArgumentException"/> quoting <paramref name="name"/> unless it is a plain variable name.</summary>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException(
                $"\"{name}\" is not a valid status variable name (1–64 characters from A-Z, a-z, 0-9 and _)", nameof(name));
        }
    }

    private static string Show(string what, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = names.ToList();
        var sql = new StringBuilder("SHOW GLOBAL ").Append(what);
        if (list.Count == 0)
        {
            return sql.ToString();
        }
        sql.Append(" WHERE Variable_name IN (");
        for (var i = 0; i < list.Count; i++)
        {
            Validate(list[i]);
            sql.Append(i == 0 ? "'" : ", '").Append(list[i]).Append('\'');
        }
        return sql.Append(')').ToString();
    }
}
