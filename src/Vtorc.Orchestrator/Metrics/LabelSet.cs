namespace Vtorc.Orchestrator.Metrics;

/// <summary>The label values of one series, compared and ordered ordinally value by value.</summary>
internal sealed class LabelSet : IEquatable<LabelSet>, IComparable<LabelSet>
{
    public static LabelSet Empty { get; } = new([]);

    private readonly string[] _values;

    public LabelSet(string[] values)
    {
        _values = values;
    }

    public IReadOnlyList<string> Values => _values;

    public bool Equals(LabelSet? other) =>
        other is not null && _values.AsSpan().SequenceEqual(other._values, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in _values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public int CompareTo(LabelSet? other)
    {
        if (other is null)
        {
            return 1;
        }
        for (int i = 0; i < Math.Min(_values.Length, other._values.Length); i++)
        {
            int c = string.CompareOrdinal(_values[i], other._values[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return _values.Length.CompareTo(other._values.Length);
    }
}
