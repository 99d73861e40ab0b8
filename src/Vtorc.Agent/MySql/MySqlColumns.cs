namespace Vtorc.Agent.MySql;

/// <summary>The column names of one result set, with a case-insensitive name → index map shared by its rows.</summary>
internal sealed class MySqlColumns
{
    public static readonly MySqlColumns None = new([]);

    private readonly Dictionary<string, int> _indexByName;

    public MySqlColumns(string[] names)
    {
        Names = names;
        _indexByName = new Dictionary<string, int>(names.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            // With duplicate names (SELECT 1 AS a, 2 AS a) the first wins, as in most drivers.
            _indexByName.TryAdd(names[i], i);
        }
    }

    public IReadOnlyList<string> Names { get; }

    public bool TryGetIndex(string name, out int index) => _indexByName.TryGetValue(name, out index);

    public int IndexOf(string name) => _indexByName.TryGetValue(name, out var index)
        ? index
        : throw new KeyNotFoundException(
            $"column \"{name}\" is not in the result (columns: {(Names.Count == 0 ? "none" : string.Join(", ", Names))})");
}
