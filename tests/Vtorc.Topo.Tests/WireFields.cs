using System.Text;

namespace Vtorc.Topo.Tests;

/// <summary>A schema-less protobuf reader: the top-level (field number, wire type, payload) triples of a message.</summary>
public static class WireFields
{
    public sealed record Field(int Number, int WireType, ulong Varint, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);
    }

    public static IReadOnlyList<Field> Read(ReadOnlySpan<byte> data)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < data.Length)
        {
            var tag = ReadVarint(data, ref i);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    fields.Add(new Field(number, 0, ReadVarint(data, ref i), []));
                    break;
                case 1:
                    fields.Add(new Field(number, 1, 0, data.Slice(i, 8).ToArray()));
                    i += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(data, ref i);
                    fields.Add(new Field(number, 2, 0, data.Slice(i, length).ToArray()));
                    i += length;
                    break;
                case 5:
                    fields.Add(new Field(number, 5, 0, data.Slice(i, 4).ToArray()));
                    i += 4;
                    break;
                default:
                    throw new FormatException($"wire type {wireType} at offset {i}");
            }
        }

        return fields;
    }

    public static IReadOnlyList<int> Numbers(ReadOnlySpan<byte> data) => [.. Read(data).Select(f => f.Number).Distinct().Order()];

    public static Field Single(ReadOnlySpan<byte> data, int number) => Read(data).Single(f => f.Number == number);

    public static byte[] Tag(int number, int wireType) => Varint((ulong)((number << 3) | wireType));

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
