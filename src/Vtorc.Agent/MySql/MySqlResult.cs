namespace Vtorc.Agent.MySql;

/// <summary>
/// One statement's outcome: its result set (empty Columns and Rows for statements without one) and the
/// server's affected-rows count, which for a result set is the number of rows returned.
/// </summary>
public sealed class MySqlResult
{
    private readonly MySqlColumns _columns;

    internal MySqlResult(MySqlColumns columns, IReadOnlyList<MySqlRow> rows, long affectedRows)
    {
        _columns = columns;
        Rows = rows;
        AffectedRows = affectedRows;
    }

    public IReadOnlyList<string> Columns => _columns.Names;

    public IReadOnlyList<MySqlRow> Rows { get; }

    public long AffectedRows { get; }

    /// <summary>True when the statement produced a result set (possibly with no rows).</summary>
    public bool HasResultSet => _columns.Names.Count > 0;

    /// <summary>The only row, or null for none; throws when there are several.</summary>
    public MySqlRow? SingleRowOrDefault() => Rows.Count switch
    {
        0 => null,
        1 => Rows[0],
        _ => throw new InvalidOperationException($"expected at most one row, got {Rows.Count} (columns: {string.Join(", ", Columns)})"),
    };
}
