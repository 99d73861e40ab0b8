using System.Buffers;
using System.Net;
using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// The body of a client-streaming call: HttpClient hands us the request stream, messages are written to it as
/// the caller produces them, and returning from serialization sends END_STREAM (half-close).
/// </summary>
internal sealed class GrpcStreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _maxMessageSize;

    public GrpcStreamingRequestContent(int maxMessageSize)
    {
        _maxMessageSize = maxMessageSize;
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    public bool IsCompleted => _completed.Task.IsCompleted;

    public async ValueTask WriteAsync(IMessage message, Task callEnded, CancellationToken cancellationToken)
    {
        if (_completed.Task.IsCompleted)
        {
            throw new InvalidOperationException("the request stream is already completed");
        }
        var length = GrpcFraming.FramedSize(message, _maxMessageSize);
        var stream = await WaitForStreamAsync(callEnded, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            GrpcFraming.WriteMessage(message, buffer.AsSpan(0, length));
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Complete() => _completed.TrySetResult();

    private async ValueTask<Stream> WaitForStreamAsync(Task callEnded, CancellationToken cancellationToken)
    {
        if (_stream.Task.IsCompletedSuccessfully)
        {
            return _stream.Task.Result;
        }
        var first = await Task.WhenAny(_stream.Task, callEnded).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first != _stream.Task)
        {
            // A failed call rethrows its own failure here; an answered one is reported by the read side.
            await callEnded.ConfigureAwait(false);
            throw new RpcException(StatusCode.Unavailable, "the server ended the call before this message could be sent");
        }
        return await _stream.Task.ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        _completed.TrySetResult();
        base.Dispose(disposing);
    }
}
