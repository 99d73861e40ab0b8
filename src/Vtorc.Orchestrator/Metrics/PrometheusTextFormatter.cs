using System.Globalization;
using System.Text;

namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// Renders stats in the Prometheus text exposition format 0.0.4, named as Vitess's prometheus backend names them
/// (<c>vtorc_</c> + snake case; see <see cref="StatDefinition"/> for label names): counters as <c>counter</c> (no
/// <c>_total</c> suffix, as in Vitess), gauges as <c>gauge</c>, timings as <c>histogram</c> in seconds with cumulative
/// <c>_bucket{le}</c>, <c>_sum</c> and <c>_count</c>. Families are sorted by name, series by label values; every family
/// has its <c># HELP</c> and <c># TYPE</c> lines even while it has no series.
/// </summary>
internal static class PrometheusTextFormatter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Format(VtorcMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Format(metrics.Snapshot());
    }

    public static string Format(IEnumerable<StatSnapshot> stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var text = new StringBuilder(4096);
        foreach (var stat in stats.OrderBy(s => s.Definition.PrometheusName, StringComparer.Ordinal))
        {
            AppendFamily(text, stat);
        }
        return text.ToString();
    }

    private static void AppendFamily(StringBuilder text, StatSnapshot stat)
    {
        var definition = stat.Definition;
        var name = definition.PrometheusName;
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(definition.Help)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(TypeName(definition.Kind)).Append('\n');
        if (definition.Kind == StatKind.Timings)
        {
            AppendHistograms(text, name, definition.PrometheusLabels[0], stat.Timings!);
            return;
        }
        foreach (var sample in stat.Samples)
        {
            text.Append(name);
            AppendLabels(text, definition.PrometheusLabels, sample.LabelValues, extraName: null, extraValue: null);
            text.Append(' ').Append(sample.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void AppendHistograms(StringBuilder text, string name, string label, TimingsSnapshot timings)
    {
        string[] labels = [label];
        foreach (var category in timings.Categories)
        {
            string[] values = [category.Category];
            long cumulative = 0;
            for (int i = 0; i < TimingBuckets.UpperBoundsSeconds.Count; i++)
            {
                cumulative += category.BucketCounts[i];
                text.Append(name).Append("_bucket");
                AppendLabels(text, labels, values, "le", FormatFloat(TimingBuckets.UpperBoundsSeconds[i]));
                text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            text.Append(name).Append("_bucket");
            AppendLabels(text, labels, values, "le", "+Inf");
            text.Append(' ').Append(category.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append(name).Append("_sum");
            AppendLabels(text, labels, values, extraName: null, extraValue: null);
            text.Append(' ').Append(FormatFloat(category.TotalNanoseconds / 1e9)).Append('\n');
            text.Append(name).Append("_count");
            AppendLabels(text, labels, values, extraName: null, extraValue: null);
            text.Append(' ').Append(category.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void AppendLabels(StringBuilder text, IReadOnlyList<string> names, IReadOnlyList<string> values, string? extraName, string? extraValue)
    {
        if (names.Count == 0 && extraName is null)
        {
            return;
        }
        text.Append('{');
        for (int i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(names[i]).Append("=\"").Append(EscapeLabelValue(values[i])).Append('"');
        }
        if (extraName is not null)
        {
            if (names.Count > 0)
            {
                text.Append(',');
            }
            text.Append(extraName).Append("=\"").Append(EscapeLabelValue(extraValue!)).Append('"');
        }
        text.Append('}');
    }

    private static string TypeName(StatKind kind) => kind switch
    {
        StatKind.Counter => "counter",
        StatKind.Gauge => "gauge",
        StatKind.Timings => "histogram",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown stat kind."),
    };

    /// <summary>Label values escape backslash, double quote and line feed (format 0.0.4).</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Help text escapes backslash and line feed only.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Shortest round-trip form with a lower-case exponent, as Go prints floats (0.0005, 1, 1e-05, +Inf).</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        return value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
    }
}
