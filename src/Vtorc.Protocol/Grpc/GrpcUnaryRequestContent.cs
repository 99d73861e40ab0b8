using System.Buffers;
using System.Net;
using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>The body of a call with exactly one request message, framed once into a pooled buffer.</summary>
internal sealed class GrpcUnaryRequestContent : HttpContent
{
    private byte[]? _buffer;
    private readonly int _length;

    public GrpcUnaryRequestContent(IMessage message, int maxMessageSize)
    {
        _length = GrpcFraming.FramedSize(message, maxMessageSize);
        _buffer = ArrayPool<byte>.Shared.Rent(_length);
        GrpcFraming.WriteMessage(message, _buffer.AsSpan(0, _length));
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(GrpcUnaryRequestContent));
        return stream.WriteAsync(buffer.AsMemory(0, _length), cancellationToken).AsTask();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        // The handler may serialize again on a retry until the request is disposed, so the buffer lives until then.
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        base.Dispose(disposing);
    }
}
