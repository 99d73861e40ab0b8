using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Vtorc.Orchestrator.Json;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// Records serialised as JSON the way VTOrc's Go handlers write it, so tools written against VTOrc read ours:
/// <c>json.MarshalIndent</c> with a one-space (API) or tab (database-state, config) indent, <c>\n</c> line ends,
/// times as <see cref="GoJsonText.Time"/>, and <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, U+2028 and U+2029 escaped as
/// <c>\u003c</c>… (Go's <c>json.HTMLEscape</c>) while other characters stay literal.
/// </summary>
public static class GoJsonSerializer
{
    private static readonly JsonSerializerOptions SpaceIndented = CreateOptions(' ');
    private static readonly JsonSerializerOptions TabIndented = CreateOptions('\t');

    /// <summary>One-space indent, as the <c>/api/…</c> JSON endpoints answer.</summary>
    public static string Serialize<T>(T value) => HtmlEscape(JsonSerializer.Serialize(value, SpaceIndented));

    /// <summary>Tab indent, as <c>/api/database-state</c> and <c>/api/config</c> answer.</summary>
    public static string SerializeTabIndented<T>(T value) => HtmlEscape(JsonSerializer.Serialize(value, TabIndented));

    /// <summary>The options behind <see cref="Serialize{T}"/>, for callers that build a document themselves.</summary>
    public static JsonSerializerOptions Options => SpaceIndented;

    /// <summary>
    /// Go's <c>json.HTMLEscape</c>. The relaxed encoder leaves these characters literal, and in JSON text they can
    /// only occur inside strings, so replacing them keeps the document valid.
    /// </summary>
    public static string HtmlEscape(string json)
    {
        if (json.AsSpan().IndexOfAny("<>&\u2028\u2029") < 0)
        {
            return json;
        }
        var escaped = new StringBuilder(json.Length + 32);
        foreach (var c in json)
        {
            switch (c)
            {
                case '<': escaped.Append("\\u003c"); break;
                case '>': escaped.Append("\\u003e"); break;
                case '&': escaped.Append("\\u0026"); break;
                case '\u2028': escaped.Append("\\u2028"); break;
                case '\u2029': escaped.Append("\\u2029"); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }

    private static JsonSerializerOptions CreateOptions(char indent)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            IndentCharacter = indent,
            IndentSize = 1,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new GoTimeConverter());
        options.MakeReadOnly();
        return options;
    }

    private sealed class GoTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(GoJsonText.Time(value));
    }
}
