using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Vtorc.Orchestrator.Json;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// Records serialised as JSON the way VTOrc's Go handlers write it, so tools written against VTOrc read ours:
/// <c>json.MarshalIndent</c> with a one-space (API) or tab (database-state, config) indent, <c>\n</c> line ends,
/// times as <see cref="GoJsonText.Time"/>, strings escaped by <see cref="GoJsonEncoder"/>.
/// </summary>
internal static class GoJsonSerializer
{
    private static readonly JsonSerializerOptions SpaceIndented = CreateOptions(' ');
    private static readonly JsonSerializerOptions TabIndented = CreateOptions('\t');

    /// <summary>One-space indent, as the <c>/api/…</c> JSON endpoints answer.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, SpaceIndented);

    /// <summary>Tab indent, as <c>/api/database-state</c> and <c>/api/config</c> answer.</summary>
    public static string SerializeTabIndented<T>(T value) => JsonSerializer.Serialize(value, TabIndented);

    /// <summary>The options behind <see cref="Serialize{T}"/>, for callers that build a document themselves.</summary>
    public static JsonSerializerOptions Options => SpaceIndented;

    private static JsonSerializerOptions CreateOptions(char indent)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            IndentCharacter = indent,
            IndentSize = 1,
            NewLine = "\n",
            Encoder = GoJsonEncoder.Instance,
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
