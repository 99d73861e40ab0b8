using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vtorc.Cli.Config;

/// <summary>
/// Reads a config file as Vitess's viper setup does (go/viperutil/config.go): a YAML or JSON document whose top-level
/// keys are flag names without dashes (<c>instance-poll-time: 1s</c>). Values come back as the text the flag would
/// take on the command line: lists are joined with commas, and a bare number for a duration is nanoseconds (Go's
/// <c>cast.ToDuration</c>).
/// </summary>
internal static class ConfigFileReader
{
    /// <exception cref="ConfigFileException">The file cannot be read, its format is not supported or it is not a
    /// mapping of keys to values; the message names the file and, where it applies, the key.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path, string format, IReadOnlySet<string> durationKeys)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(durationKeys);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigFileException($"config file \"{path}\": cannot read it: {e.Message}", e);
        }
        var values = format switch
        {
            "yaml" or "yml" => ReadYaml(path, text),
            "json" => ReadJson(path, text),
            "" => throw new ConfigFileException($"config file \"{path}\": its format is unknown: give it a .yaml, .yml or .json extension or pass --config-type"),
            _ => throw new ConfigFileException($"config file \"{path}\": format \"{format}\" is not supported (yaml, yml and json are)"),
        };
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            // Viper's keys are case-insensitive.
            var name = key.ToLowerInvariant();
            result[name] = durationKeys.Contains(name) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var nanoseconds)
                ? nanoseconds.ToString(CultureInfo.InvariantCulture) + "ns"
                : value;
        }
        return result;
    }

    private static List<(string Key, string Value)> ReadYaml(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigFileException($"config file \"{path}\": not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return [];
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigFileException($"config file \"{path}\": expected keys with values at the top level");
        }
        var values = new List<(string, string)>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? throw new ConfigFileException($"config file \"{path}\": a key is not a plain name");
            switch (valueNode)
            {
                case YamlScalarNode scalar when scalar.Value is null || (scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null"):
                    break;
                case YamlScalarNode scalar:
                    values.Add((key, scalar.Value!));
                    break;
                case YamlSequenceNode sequence:
                    values.Add((key, string.Join(',', sequence.Children.Select(c => (c as YamlScalarNode)?.Value
                        ?? throw new ConfigFileException($"config file \"{path}\": key \"{key}\": list items must be plain values")))));
                    break;
                default:
                    throw new ConfigFileException($"config file \"{path}\": key \"{key}\": expected a value or a list, not a mapping");
            }
        }
        return values;
    }

    private static List<(string Key, string Value)> ReadJson(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ConfigFileException($"config file \"{path}\": not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigFileException($"config file \"{path}\": expected a JSON object of keys with values");
            }
            var values = new List<(string, string)>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }
                values.Add((property.Name, property.Value.ValueKind == JsonValueKind.Array
                    ? string.Join(',', property.Value.EnumerateArray().Select(item => Scalar(path, property.Name, item)))
                    : Scalar(path, property.Name, property.Value)));
            }
            return values;
        }
    }

    private static string Scalar(string path, string key, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new ConfigFileException($"config file \"{path}\": key \"{key}\": expected a value or a list of values"),
    };
}
