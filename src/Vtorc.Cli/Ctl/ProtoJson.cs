using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Vtorc.Cli.Ctl;

/// <summary>
/// JSON as vtctldclient prints records (proto field names, defaults included, two-space indent), so scripts
/// written against Vitess's output read ours.
/// </summary>
internal static class ProtoJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true)
        .WithFormatDefaultValues(true)
        .WithIndentation("  "));

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Format(IMessage message) => Formatter.Format(message);

    public static JsonNode Node(IMessage message) => JsonNode.Parse(Format(message))!;

    /// <summary>A JSON object of named parts, each either a message or a plain value.</summary>
    public static string Object(params (string Name, object? Value)[] parts)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in parts)
        {
            obj[name] = value switch
            {
                null => null,
                IMessage m => Node(m),
                JsonNode n => n,
                string s => JsonValue.Create(s),
                _ => JsonValue.Create(value.ToString()),
            };
        }

        return obj.ToJsonString(Indented);
    }
}
