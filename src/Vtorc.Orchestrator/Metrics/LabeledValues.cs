namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// The current values of one counter or gauge, per label set. A stat without labels always has its one value (0 at
/// first). For multi-label stats a '.' inside a label value is stored as '_', as Vitess does, so that the expvar key
/// (values joined with '.') splits back into the same values.
/// </summary>
internal sealed class LabeledValues
{
    private readonly Lock _gate = new();
    private readonly Dictionary<LabelSet, long> _values = [];

    public LabeledValues(StatDefinition definition)
    {
        Definition = definition;
        if (definition.Labels.Count == 0)
        {
            _values[LabelSet.Empty] = 0;
        }
    }

    public StatDefinition Definition { get; }

    public LabelSet Labels(params string[] values)
    {
        if (values.Length != Definition.Labels.Count)
        {
            throw new ArgumentException(
                $"Stat \"{Definition.Name}\" has labels [{string.Join(", ", Definition.Labels)}] but got {values.Length} value(s): [{string.Join(", ", values)}].",
                nameof(values));
        }
        var stored = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var value = values[i] ?? throw new ArgumentNullException(nameof(values),
                $"Stat \"{Definition.Name}\": the value of label \"{Definition.Labels[i]}\" is null.");
            stored[i] = Definition.IsMultiLabel ? value.Replace('.', '_') : value;
        }
        return new LabelSet(stored);
    }

    public void Add(LabelSet labels, long delta)
    {
        lock (_gate)
        {
            _values[labels] = _values.GetValueOrDefault(labels) + delta;
        }
    }

    public void Set(LabelSet labels, long value)
    {
        lock (_gate)
        {
            _values[labels] = value;
        }
    }

    /// <summary>Makes <paramref name="current"/> the only label sets (the others disappear).</summary>
    public void ReplaceAll(IEnumerable<KeyValuePair<LabelSet, long>> current)
    {
        var replacement = new Dictionary<LabelSet, long>();
        foreach (var (labels, value) in current)
        {
            replacement[labels] = value;
        }
        lock (_gate)
        {
            _values.Clear();
            foreach (var (labels, value) in replacement)
            {
                _values[labels] = value;
            }
        }
    }

    public long Get(LabelSet labels)
    {
        lock (_gate)
        {
            return _values.GetValueOrDefault(labels);
        }
    }

    public IReadOnlyList<StatSample> Samples()
    {
        KeyValuePair<LabelSet, long>[] copy;
        lock (_gate)
        {
            copy = [.. _values];
        }
        Array.Sort(copy, (a, b) => a.Key.CompareTo(b.Key));
        return copy.Select(p => new StatSample(p.Key.Values, p.Value)).ToArray();
    }
}
