using System.Globalization;
using System.Text.Json;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The JSON object an action of our page is sent, checked on access: a field of the wrong type, a missing required
/// field or one the action does not know throws <see cref="QueryParameterException"/> (400) naming the field.
/// </summary>
internal sealed class JsonActionBody
{
    /// <summary>An action's body is a handful of short fields; anything larger is not one.</summary>
    public const int MaxBytes = 64 * 1024;

    private readonly Dictionary<string, JsonElement> _fields;

    private JsonActionBody(Dictionary<string, JsonElement> fields) => _fields = fields;

    /// <param name="known">The fields the action takes; any other is refused, so a misspelt field is not silently ignored.</param>
    public static async Task<JsonActionBody> ReadAsync(Stream body, IReadOnlyCollection<string> known, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new QueryParameterException($"Invalid body: larger than {MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new QueryParameterException($"Invalid body: not JSON ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new QueryParameterException("Invalid body: expected a JSON object");
            }
            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    throw new QueryParameterException($"Unknown field {property.Name}: this action takes {string.Join(", ", known)}");
                }
                fields[property.Name] = property.Value.Clone();
            }
            return new JsonActionBody(fields);
        }
    }

    public bool Has(string name) => _fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A string field, "" when absent or null.</summary>
    public string Text(string name)
    {
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return "";
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new QueryParameterException($"Invalid value for {name}: expected a string, got {value.ValueKind.ToString().ToLowerInvariant()}");
        }
        return value.GetString() ?? "";
    }

    /// <summary>A string field that must be present and not blank; <paramref name="why"/> tells the caller what to give.</summary>
    public string Required(string name, string why)
    {
        var text = Text(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new QueryParameterException($"Missing value for {name}: {why}");
        }
        return text;
    }

    /// <summary>A non-negative integer field, or null when absent.</summary>
    public long? NonNegativeInteger(string name)
    {
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < 0)
        {
            throw new QueryParameterException($"Invalid value for {name}: expected a non-negative integer, got {value.GetRawText()}");
        }
        return number;
    }
}
