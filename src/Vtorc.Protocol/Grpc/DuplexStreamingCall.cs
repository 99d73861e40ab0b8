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
    private readonly GrpcClientCall<TResponse> _call;
    private readonly GrpcStreamingRequestContent _requests;

    internal DuplexStreamingCall(GrpcClientCall<TResponse> call, GrpcStreamingRequestContent requests)
    {
        _call = call;
        _requests = requests;
    }

    /// <summary>Sends one message; throws <see cref="RpcException"/> if the call has already ended.</summary>
    public async ValueTask WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_requests.IsCompleted)
        {
            throw new InvalidOperationException($"WriteAsync after CompleteRequestAsync on {_call.Method}");
        }
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((GrpcClientCall<TResponse>)s!).CancelLocally(), _call)
            : default;
        try
        {
            await _requests.WriteAsync(message, _call.ResponseTask, _call.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A failed write does not decide the call's status: the server may have ended the call already, and
            // ReadAsync still reports the status it sent. Cancellation and deadline do end the call.
            var failure = _call.Describe(e);
            if (failure.Status is StatusCode.Cancelled or StatusCode.DeadlineExceeded)
            {
                throw _call.Fail(failure);
            }
            throw failure;
        }
    }

    /// <summary>Half-closes: tells the server no more requests come. Idempotent.</summary>
    public ValueTask CompleteRequestAsync()
    {
        _requests.Complete();
        return ValueTask.CompletedTask;
    }

    /// <summary>The next response; null when the server ended the call with OK; a non-OK end throws <see cref="RpcException"/>.</summary>
    public ValueTask<TResponse?> ReadAsync(CancellationToken cancellationToken = default) => _call.ReadAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _call.Dispose();
        _requests.Dispose();
        return ValueTask.CompletedTask;
    }
}
