using System.Globalization;
using System.Text.Json;
using Vtorc.Orchestrator.Json;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>
/// Typed reads of one JSON object's fields, each failure a <see cref="SnapshotFormatException"/> naming the field's
/// path and quoting what was found. Absent optional fields take their default; unknown fields are ignored so that
/// a newer exporter's additions do not break an older reader.
/// </summary>
internal sealed class JsonObjectReader
{
    public JsonObjectReader(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SnapshotFormatException(path, $"expected an object, got {Describe(element)}");
        }
        Element = element;
        Path = path;
    }

    public JsonElement Element { get; }

    public string Path { get; }

    public string PathOf(string name) => Path.Length == 0 ? name : Path + "." + name;

    public JsonObjectReader Object(string name) => new(Required(name), PathOf(name));

    /// <summary>The elements of a required array with their paths.</summary>
    public IEnumerable<(JsonElement Element, string Path)> Array(string name)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Fail(name, $"expected an array, got {Describe(value)}");
        }
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            yield return (item, $"{PathOf(name)}[{index++}]");
        }
    }

    public string RequiredString(string name)
    {
        var value = Required(name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Fail(name, $"expected a string, got {Describe(value)}");
    }

    public string String(string name)
    {
        if (!TryGet(name, out var value))
        {
            return "";
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Fail(name, $"expected a string, got {Describe(value)}");
    }

    public bool Bool(string name, bool absent = false)
    {
        if (!TryGet(name, out var value))
        {
            return absent;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Fail(name, $"expected true or false, got {Describe(value)}"),
        };
    }

    public long Integer(string name, long min, long max, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            return required ? throw Fail(name, "is missing") : 0;
        }
        return IntegerValue(name, value, min, max);
    }

    /// <summary>An integer that may be <c>null</c> (or absent, which means the same).</summary>
    public long? NullableInteger(string name, long min, long max)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return IntegerValue(name, value, min, max);
    }

    public ulong UnsignedInteger(string name)
    {
        if (!TryGet(name, out var value))
        {
            return 0;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number))
        {
            return number;
        }
        throw Fail(name, $"expected a whole number from 0 to {ulong.MaxValue}, got {Describe(value)}");
    }

    public double Number(string name, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            return required ? throw Fail(name, "is missing") : 0;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }
        throw Fail(name, $"expected a number, got {Describe(value)}");
    }

    /// <summary>A finite number of at least <paramref name="min"/> that may be <c>null</c> (or absent, which means the same).</summary>
    public double? NullableNumber(string name, double min)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) && number >= min)
        {
            return number;
        }
        throw Fail(name, $"expected null or a number of at least {min.ToString(System.Globalization.CultureInfo.InvariantCulture)}, got {Describe(value)}");
    }

    public DateTimeOffset Time(string name, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            return required ? throw Fail(name, "is missing") : default;
        }
        if (value.ValueKind == JsonValueKind.String && Rfc3339Time.TryParse(value.GetString(), out var time))
        {
            return time;
        }
        throw Fail(name, $"expected an RFC 3339 time such as \"2026-01-02T15:04:05Z\", got {Describe(value)}");
    }

    /// <summary>A string looked up in <paramref name="names"/> (case-insensitive).</summary>
    public T Choice<T>(string name, IReadOnlyDictionary<string, T> names, T absent)
    {
        if (!TryGet(name, out var value))
        {
            return absent;
        }
        if (value.ValueKind == JsonValueKind.String && names.TryGetValue(value.GetString()!, out var choice))
        {
            return choice;
        }
        throw Fail(name, $"expected one of {string.Join(", ", names.Keys.Select(k => "\"" + k + "\""))}, got {Describe(value)}");
    }

    public SnapshotFormatException Fail(string name, string problem) => new(PathOf(name), problem);

    /// <summary>How a value is quoted in error messages: strings in quotes, other values as written, long ones cut.</summary>
    public static string Describe(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => "\"" + value.GetString() + "\"",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => value.GetRawText(),
        };
        return text.Length > 80 ? text[..77] + "..." : text;
    }

    private JsonElement Required(string name) =>
        TryGet(name, out var value) ? value : throw Fail(name, "is missing");

    private bool TryGet(string name, out JsonElement value) => Element.TryGetProperty(name, out value);

    private long IntegerValue(string name, JsonElement value, long min, long max)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max)
        {
            return number;
        }
        throw Fail(name, string.Create(CultureInfo.InvariantCulture, $"expected a whole number from {min} to {max}, got {Describe(value)}"));
    }
}
