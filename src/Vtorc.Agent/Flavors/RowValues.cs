using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// One result row as column name → text value (SQL NULL is null), looked up case-insensitively. Built from a
/// <see cref="MySqlRow"/> read from mysqld or, in unit tests, from a dictionary.
/// </summary>
public sealed class RowValues
{
    private readonly Dictionary<string, string?> _values;

    private RowValues(Dictionary<string, string?> values) => _values = values;

    /// <summary>A row of a result whose column names are <paramref name="columns"/> (<see cref="MySqlResult.Columns"/>).</summary>
    public static RowValues From(IReadOnlyList<string> columns, MySqlRow row)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(row);
        if (columns.Count != row.Count)
        {
            throw new ArgumentException($"the row has {row.Count} values but {columns.Count} column names were given", nameof(columns));
        }
        var values = new Dictionary<string, string?>(row.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            // With duplicate names the first wins, as MySqlRow does.
            values.TryAdd(columns[i], row[i]);
        }
        return new RowValues(values);
    }

    public static RowValues From(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            copy.TryAdd(name, value);
        }
        return new RowValues(copy);
    }

    /// <summary>All rows of a result.</summary>
    public static IReadOnlyList<RowValues> FromResult(MySqlResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Rows.Select(row => From(result.Columns, row)).ToArray();
    }

    public IReadOnlyCollection<string> Columns => _values.Keys;

    public bool HasColumn(string column) => _values.ContainsKey(column);

    /// <summary>The value of the first of <paramref name="columns"/> present in the row, or null when none is (or it is NULL).</summary>
    public string? Get(params ReadOnlySpan<string> columns)
    {
        foreach (var column in columns)
        {
            if (_values.TryGetValue(column, out var value))
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>Like <see cref="Get"/> but "" instead of null.</summary>
    public string GetText(params ReadOnlySpan<string> columns) => Get(columns) ?? "";

    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={kv.Value ?? "NULL"}"));
}
