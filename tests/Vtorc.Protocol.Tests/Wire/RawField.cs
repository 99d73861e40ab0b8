using System.Buffers.Binary;
using System.Text;

namespace Vtorc.Protocol.Tests.Wire;

/// <summary>
/// One field occurrence as it sits on the wire, decoded without any schema.
/// <see cref="Value"/> holds the bytes after the tag: the varint bytes themselves, the 4/8 fixed bytes, or the
/// payload of a length-delimited field (without its length prefix). <see cref="Scalar"/> is the decoded varint or
/// fixed value (0 for length-delimited fields).
/// </summary>
internal sealed record RawField(int Number, ProtoWireType WireType, ulong Scalar, ReadOnlyMemory<byte> Value)
{
    public IReadOnlyList<RawField> AsMessage()
    {
        Require(ProtoWireType.LengthDelimited);
        return RawProtobufReader.Parse(Value);
    }

    public string AsString()
    {
        Require(ProtoWireType.LengthDelimited);
        return Encoding.UTF8.GetString(Value.Span);
    }

    public double AsDouble()
    {
        Require(ProtoWireType.Fixed64);
        return BinaryPrimitives.ReadDoubleLittleEndian(Value.Span);
    }

    private void Require(ProtoWireType expected)
    {
        if (WireType != expected)
        {
            throw new InvalidOperationException($"field {Number} has wire type {WireType}, not {expected}");
        }
    }
}
