namespace Vtorc.Agent.MySql;

/// <summary>One row of text-protocol values; SQL NULL is null. Columns are found by name, case-insensitively.</summary>
public sealed class MySqlRow
{
    private readonly MySqlColumns _columns;
    private readonly string?[] _values;

    internal MySqlRow(MySqlColumns columns, string?[] values)
    {
        _columns = columns;
        _values = values;
    }

    public int Count => _values.Length;

    public IReadOnlyList<string?> Values => _values;

    /// <summary>The value of a column; throws <see cref="KeyNotFoundException"/> naming the column when it is absent.</summary>
    public string? this[string column] => _values[_columns.IndexOf(column)];

    public string? this[int index] => _values[index];

    public bool HasColumn(string column) => _columns.TryGetIndex(column, out _);

    /// <summary>False when the column is absent (not when its value is NULL).</summary>
    public bool TryGetValue(string column, out string? value)
    {
        if (_columns.TryGetIndex(column, out var index))
        {
            value = _values[index];
            return true;
        }
        value = null;
        return false;
    }

    public override string ToString() =>
        string.Join(", ", _columns.Names.Select((name, i) => $"{name}={_values[i] ?? "NULL"}"));
}
