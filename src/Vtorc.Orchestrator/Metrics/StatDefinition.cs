namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// One exported stat: its expvar name (the Vitess stat name, e.g. <c>RecoveriesCount</c>), kind, help text and label
/// names as Vitess declares them.
/// </summary>
/// <param name="Name">The expvar name; the Prometheus name is <c>vtorc_</c> + its snake case.</param>
/// <param name="Labels">Label names in Vitess spelling (<c>RecoveryType</c>, <c>Keyspace</c>, …); empty for a plain value.</param>
/// <param name="IsMultiLabel">
/// True for stats Vitess declares "with multi labels": their Prometheus label names are snake-cased, their expvar keys
/// are the label values joined with '.', and a '.' inside a value becomes '_'. False for single-label stats and
/// timings, whose one label keeps its declared spelling in Prometheus (Vitess's prometheus backend passes it through),
/// e.g. <c>TabletAlias</c> or <c>Action</c>.
/// </param>
/// <param name="InitialCategories">Timings categories that exist (at zero) from the start, e.g. <c>Lock</c>, <c>Unlock</c>.</param>
public sealed record StatDefinition(string Name, StatKind Kind, string Help, IReadOnlyList<string> Labels, bool IsMultiLabel,
    IReadOnlyList<string> InitialCategories)
{
    /// <summary>The Prometheus namespace of every VTOrc stat.</summary>
    public const string PrometheusNamespace = "vtorc";

    /// <summary>E.g. <c>vtorc_recoveries_count</c>.</summary>
    public string PrometheusName { get; } = PrometheusNamespace + "_" + SnakeCaseName.Convert(Name);

    /// <summary>Label names as they appear in the Prometheus exposition.</summary>
    public IReadOnlyList<string> PrometheusLabels { get; } =
        IsMultiLabel ? Labels.Select(SnakeCaseName.Convert).ToArray() : Labels;

    public static StatDefinition Plain(string name, StatKind kind, string help) => new(name, kind, help, [], false, []);

    public static StatDefinition SingleLabel(string name, StatKind kind, string help, string label) =>
        new(name, kind, help, [label], false, []);

    public static StatDefinition MultiLabel(string name, StatKind kind, string help, params string[] labels) =>
        new(name, kind, help, labels, true, []);

    public static StatDefinition Timings(string name, string help, string label, params string[] categories) =>
        new(name, StatKind.Timings, help, [label], false, categories);
}
