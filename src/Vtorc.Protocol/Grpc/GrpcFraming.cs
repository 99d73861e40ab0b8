using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// Length-prefixed message framing (grpc doc/PROTOCOL-HTTP2.md): 1 flag byte (0 = uncompressed) and a 4-byte big-endian
/// length, then the message. Frame boundaries are independent of HTTP/2 DATA frames.
/// </summary>
public static class GrpcFraming
{
    public const int HeaderSize = 5;

    /// <summary>
    /// Takes one complete message off the front of <paramref name="buffer"/>. False when more bytes are needed.
    /// Throws RESOURCE_EXHAUSTED as soon as a header announces a message above <paramref name="maxMessageSize"/>,
    /// and INTERNAL for a compressed message (we never negotiate compression).
    /// </summary>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> buffer, int maxMessageSize, out ReadOnlySequence<byte> message)
    {
        message = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (header[0] != 0)
        {
            throw new RpcException(
                StatusCode.Internal,
                header[0] == 1
                    ? "received a compressed message but no grpc-encoding was negotiated"
                    : $"invalid message flag byte 0x{header[0]:X2}");
        }
        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                string.Create(CultureInfo.InvariantCulture, $"received message of {length} bytes, larger than the limit of {maxMessageSize} bytes"));
        }
        if (buffer.Length - HeaderSize < length)
        {
            return false;
        }
        message = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(message.End);
        return true;
    }

    /// <summary>The framed size of <paramref name="message"/>, or RESOURCE_EXHAUSTED above <paramref name="maxMessageSize"/>.</summary>
    public static int FramedSize(IMessage message, int maxMessageSize)
    {
        var size = message.CalculateSize();
        if (size > maxMessageSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                string.Create(CultureInfo.InvariantCulture, $"message of {size} bytes is larger than the send limit of {maxMessageSize} bytes"));
        }
        return size + HeaderSize;
    }

    /// <summary>Writes header and message into <paramref name="destination"/>, which must be exactly the framed size.</summary>
    public static void WriteMessage(IMessage message, Span<byte> destination)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)(destination.Length - HeaderSize));
        message.WriteTo(destination[HeaderSize..]);
    }
}
