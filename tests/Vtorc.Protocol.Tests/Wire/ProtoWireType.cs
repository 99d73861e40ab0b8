namespace Vtorc.Protocol.Tests.Wire;

/// <summary>The low three bits of a protobuf tag. Groups (3, 4) are deliberately absent: proto3 never emits them.</summary>
internal enum ProtoWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
