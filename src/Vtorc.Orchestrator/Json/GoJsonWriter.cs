using System.Buffers;
using System.Text;
using System.Text.Json;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> laid out like Go's <c>json.MarshalIndent(v, "", " ")</c> (one-space indent,
/// <c>\n</c>, <c>"Key": value</c>), escaping strings with <see cref="GoJsonEncoder"/>, with helpers that write times
/// and floats through <see cref="GoJsonText"/> so they come out as Go writes them.
/// </summary>
internal static class GoJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 1,
        NewLine = "\n",
        Encoder = GoJsonEncoder.Instance,
    };

    /// <summary>Runs <paramref name="write"/> against a fresh writer and returns the document (no trailing newline).</summary>
    public static string Render(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A Go <c>string</c>: null is the empty string (Go strings have no null).</summary>
    public static void WriteGoString(this Utf8JsonWriter writer, string name, string value) => writer.WriteString(name, value ?? "");

    public static void WriteGoTime(this Utf8JsonWriter writer, string name, DateTimeOffset value) =>
        writer.WriteString(name, GoJsonText.Time(value));

    public static void WriteGoFloat(this Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(GoJsonText.Float(value), skipInputValidation: true);
    }

    /// <summary>A Go string slice: <c>null</c> when empty (a nil slice, which is what VTOrc appends to), else an array.</summary>
    public static void WriteGoStringsOrNull(this Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WritePropertyName(name);
        if (values.Count == 0)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value ?? "");
        }
        writer.WriteEndArray();
    }

    /// <summary>Go's <c>sql.NullInt64</c>: <c>{"Int64": n, "Valid": bool}</c>.</summary>
    public static void WriteGoNullInt64(this Utf8JsonWriter writer, string name, long? value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("Int64", value ?? 0);
        writer.WriteBoolean("Valid", value.HasValue);
        writer.WriteEndObject();
    }
}
