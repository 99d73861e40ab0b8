using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// A bidirectional call in progress. One writer and one reader may work concurrently; writes must not overlap
/// each other, nor reads each other. Dispose to cancel a call that has not ended (RST_STREAM CANCEL).
/// </summary>
public sealed class DuplexStreamingCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>, new()
{
    internal DuplexStreamingCall()
    {
    }

    /// <summary>Sends one message; throws <see cref="RpcException"/> if the call has already ended.</summary>
    public ValueTask WriteAsync(TRequest message, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Half-closes: tells the server no more requests come. Idempotent.</summary>
    public ValueTask CompleteRequestAsync() => throw new NotImplementedException();

    /// <summary>The next response; null when the server ended the call with OK; a non-OK end throws <see cref="RpcException"/>.</summary>
    public ValueTask<TResponse?> ReadAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
