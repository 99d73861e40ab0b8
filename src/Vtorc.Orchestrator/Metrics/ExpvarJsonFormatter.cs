using System.Globalization;
using System.Text;
using System.Text.Json;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Metrics;

/// <summary>
/// Renders stats as <c>/debug/vars</c> JSON, shaped like Go's expvar page of Vitess stats: one object with a member per
/// stat, sorted by name, one member per line. A plain counter or gauge is a number; a labelled one is an object keyed
/// by its label values (multi-label stats join them with '.', e.g. <c>"RecoverDeadPrimary.ks.0"</c>); timings are
/// <c>{"TotalCount": n, "TotalTime": ns, "Histograms": {category: {"500000": n, …, "10000000000": n, "inf": n,
/// "Count": n, "Time": ns}}}</c> with per-bucket (not cumulative) counts keyed by the bucket's upper bound in
/// nanoseconds. Go's page also has <c>cmdline</c> and <c>memstats</c>; only <c>cmdline</c> is given, when asked for.
/// </summary>
internal static class ExpvarJsonFormatter
{
    public const string ContentType = "application/json; charset=utf-8";

    public static string Format(VtorcMetrics metrics, IReadOnlyList<string>? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Format(metrics.Snapshot(), commandLine);
    }

    public static string Format(IEnumerable<StatSnapshot> stats, IReadOnlyList<string>? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var members = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var stat in stats)
        {
            members[stat.Definition.Name] = Json(writer => WriteValue(writer, stat));
        }
        if (commandLine is not null)
        {
            members["cmdline"] = Json(writer =>
            {
                writer.WriteStartArray();
                foreach (var argument in commandLine)
                {
                    writer.WriteStringValue(argument);
                }
                writer.WriteEndArray();
            });
        }

        var text = new StringBuilder(4096).Append("{\n");
        bool first = true;
        foreach (var (name, value) in members)
        {
            if (!first)
            {
                text.Append(",\n");
            }
            first = false;
            text.Append(GoJsonEncoder.Quote(name)).Append(": ").Append(value);
        }
        return text.Append("\n}\n").ToString();
    }

    private static void WriteValue(Utf8JsonWriter writer, StatSnapshot stat)
    {
        var definition = stat.Definition;
        if (definition.Kind == StatKind.Timings)
        {
            WriteTimings(writer, stat.Timings!);
        }
        else if (definition.Labels.Count == 0)
        {
            writer.WriteNumberValue(stat.Samples.Count == 0 ? 0 : stat.Samples[0].Value);
        }
        else
        {
            writer.WriteStartObject();
            foreach (var sample in stat.Samples)
            {
                writer.WriteNumber(string.Join('.', sample.LabelValues), sample.Value);
            }
            writer.WriteEndObject();
        }
    }

    private static void WriteTimings(Utf8JsonWriter writer, TimingsSnapshot timings)
    {
        writer.WriteStartObject();
        writer.WriteNumber("TotalCount", timings.TotalCount);
        writer.WriteNumber("TotalTime", timings.TotalNanoseconds);
        writer.WriteStartObject("Histograms");
        foreach (var category in timings.Categories)
        {
            writer.WriteStartObject(category.Category);
            for (int i = 0; i < TimingBuckets.UpperBoundsNanoseconds.Count; i++)
            {
                writer.WriteNumber(TimingBuckets.UpperBoundsNanoseconds[i].ToString(CultureInfo.InvariantCulture), category.BucketCounts[i]);
            }
            writer.WriteNumber("inf", category.BucketCounts[TimingBuckets.UpperBoundsNanoseconds.Count]);
            writer.WriteNumber("Count", category.Count);
            writer.WriteNumber("Time", category.TotalNanoseconds);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = GoJsonEncoder.Instance };

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
