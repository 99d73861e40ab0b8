using System.Buffers.Binary;

namespace Vtorc.Protocol.Tests.Wire;

/// <summary>
/// A schema-less protobuf decoder written independently of Google.Protobuf, so that the tests check the generated
/// code against the wire rules of docs/wire-format.md, "Protobuf encoding", rather than against itself. It splits one
/// message level into fields; <see cref="RawField.AsMessage"/> descends into an embedded message when a test asks for
/// it.
/// </summary>
internal static class RawProtobufReader
{
    private const int MaxVarintBytes = 10;

    public static IReadOnlyList<RawField> Parse(ReadOnlyMemory<byte> message)
    {
        var fields = new List<RawField>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tagOffset = position;
            var tag = ReadVarint(span, ref position);
            var number = tag >> 3;
            if (number == 0 || number > int.MaxValue)
            {
                throw new FormatException($"invalid field number {number} in the tag at offset {tagOffset}");
            }

            var wireType = (ProtoWireType)(tag & 7);
            var valueStart = position;
            ulong scalar = 0;
            switch (wireType)
            {
                case ProtoWireType.Varint:
                    scalar = ReadVarint(span, ref position);
                    break;
                case ProtoWireType.Fixed64:
                    Ensure(span, position, 8, number);
                    scalar = BinaryPrimitives.ReadUInt64LittleEndian(span[position..]);
                    position += 8;
                    break;
                case ProtoWireType.Fixed32:
                    Ensure(span, position, 4, number);
                    scalar = BinaryPrimitives.ReadUInt32LittleEndian(span[position..]);
                    position += 4;
                    break;
                case ProtoWireType.LengthDelimited:
                    var length = ReadVarint(span, ref position);
                    if (length > int.MaxValue)
                    {
                        throw new FormatException($"field {number}: length {length} is too large");
                    }

                    valueStart = position;
                    Ensure(span, position, (int)length, number);
                    position += (int)length;
                    break;
                default:
                    throw new FormatException($"field {number}: unsupported wire type {(int)wireType} at offset {tagOffset}");
            }

            fields.Add(new RawField((int)number, wireType, scalar, message[valueStart..position]));
        }

        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var i = 0; i < MaxVarintBytes; i++)
        {
            if (position >= span.Length)
            {
                throw new FormatException($"varint truncated at offset {position}");
            }

            var b = span[position++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException($"varint longer than {MaxVarintBytes} bytes ending at offset {position}");
    }

    private static void Ensure(ReadOnlySpan<byte> span, int position, int count, ulong number)
    {
        if (span.Length - position < count)
        {
            throw new FormatException($"field {number}: needs {count} bytes at offset {position}, only {span.Length - position} left");
        }
    }
}
