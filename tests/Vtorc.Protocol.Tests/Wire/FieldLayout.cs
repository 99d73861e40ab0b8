namespace Vtorc.Protocol.Tests.Wire;

/// <summary>A field number with the wire type it must use, e.g. "8:VARINT" for Tablet.type.</summary>
internal readonly record struct FieldLayout(int Number, ProtoWireType WireType)
{
    /// <summary>Parses "1:LEN 2:VARINT 6:I64" (the protobuf documentation's names for the wire types).</summary>
    public static IReadOnlySet<FieldLayout> ParseSet(string text)
    {
        var set = new HashSet<FieldLayout>();
        foreach (var item in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(':');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var number))
            {
                throw new FormatException($"bad field layout item '{item}' in '{text}'");
            }

            var wireType = parts[1] switch
            {
                "VARINT" => ProtoWireType.Varint,
                "I64" => ProtoWireType.Fixed64,
                "LEN" => ProtoWireType.LengthDelimited,
                "I32" => ProtoWireType.Fixed32,
                _ => throw new FormatException($"unknown wire type '{parts[1]}' in '{text}'"),
            };
            if (!set.Add(new FieldLayout(number, wireType)))
            {
                throw new FormatException($"field {number} listed twice in '{text}'");
            }
        }

        return set;
    }

    public override string ToString() => $"{Number}:{WireType}";
}
