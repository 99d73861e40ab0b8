namespace Vtorc.Protocol.Tests.Wire;

/// <summary>The layout tests trust this reader, so it is checked against hand-encoded bytes first.</summary>
public sealed class RawProtobufReaderTests
{
    [Fact]
    public void Reads_a_two_byte_varint()
    {
        // Field 1, varint 150: the classic example from the protobuf encoding guide.
        var field = Assert.Single(RawProtobufReader.Parse(new byte[] { 0x08, 0x96, 0x01 }));

        Assert.Equal(new FieldLayout(1, ProtoWireType.Varint), new FieldLayout(field.Number, field.WireType));
        Assert.Equal(150UL, field.Scalar);
        Assert.Equal(2, field.Value.Length);
    }

    [Fact]
    public void Reads_fixed_fields_little_endian_and_a_multi_byte_field_number()
    {
        byte[] bytes =
        [
            0x09, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // field 1, fixed64
            0x15, 0xAA, 0xBB, 0xCC, 0xDD,                         // field 2, fixed32
            0x9A, 0x06, 0x02, 0x68, 0x69,                         // field 99, "hi"
        ];

        var fields = RawProtobufReader.Parse(bytes);

        Assert.Equal(0x0807060504030201UL, fields[0].Scalar);
        Assert.Equal(0xDDCCBBAAUL, fields[1].Scalar);
        Assert.Equal(99, fields[2].Number);
        Assert.Equal("hi", fields[2].AsString());
    }

    [Fact]
    public void Descends_into_an_embedded_message_on_request()
    {
        // Field 3 holds a message whose field 1 is varint 150.
        var outer = Assert.Single(RawProtobufReader.Parse(new byte[] { 0x1A, 0x03, 0x08, 0x96, 0x01 }));

        var inner = Assert.Single(outer.AsMessage());

        Assert.Equal(150UL, inner.Scalar);
    }

    [Theory]
    [InlineData(new byte[] { 0x08 })]             // varint value missing
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })] // length beyond the end
    [InlineData(new byte[] { 0x0B })]             // group start: not proto3
    [InlineData(new byte[] { 0x00 })]             // field number 0
    public void Rejects_malformed_input(byte[] bytes)
    {
        Assert.Throws<FormatException>(() => RawProtobufReader.Parse(bytes));
    }
}
