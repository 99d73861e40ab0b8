namespace Vtorc.Agent.MySql;

/// <summary>Quoting of schema, table, column and user names for SQL text.</summary>
internal static class MySqlIdentifier
{
    /// <summary>`name` with embedded backticks doubled; rejects NUL and empty names.</summary>
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('\0'))
        {
            throw new ArgumentException($"\"{name}\" is not a valid MySQL identifier", nameof(name));
        }
        return string.Concat("`", name.Replace("`", "``", StringComparison.Ordinal), "`");
    }
}
