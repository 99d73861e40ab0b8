using Grpc.Core;
using Query;
using Vtorc.Protocol.Tablets;

namespace Vtorc.Protocol.Tests.Tablets;

/// <summary>
/// A read of the health stream cancelled by its caller ends as a cancellation, whatever status grpc-dotnet gives it:
/// when the HTTP/2 stream's abort wakes the pending read before grpc-dotnet's own cancellation runs, the same cancel
/// surfaces as UNAVAILABLE "Error reading next message" with the transport's IOException — the shape of a broken
/// connection, on which the tablet client drops the tablet's channel. The invoker here is a fake that answers exactly
/// that way (the race itself cannot be forced against a real server).
/// </summary>
public sealed class TabletHealthStreamCancellationTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Cancelled)]
    [InlineData(StatusCode.Internal)]
    public async Task A_read_cancelled_by_the_caller_ends_with_OperationCanceledException_whatever_the_status(StatusCode status)
    {
        using var cancel = new CancellationTokenSource();
        var invoker = new AbortingOnCancelInvoker(status);
        int received = 0;

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in TabletHealthStream.ReadAsync(invoker, null, cancel.Token))
            {
                received++;
                await cancel.CancelAsync();
            }
        });

        Assert.Equal(1, received);
        Assert.Equal(status, Assert.IsType<RpcException>(thrown.InnerException).StatusCode);
    }

    [Fact]
    public async Task A_failure_without_a_cancellation_is_still_an_RpcException()
    {
        var invoker = new AbortingOnCancelInvoker(StatusCode.Unavailable, failWithoutCancel: true);

        var thrown = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in TabletHealthStream.ReadAsync(invoker, null, CancellationToken.None))
            {
            }
        });

        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
    }

    /// <summary>A FAKE server-streaming call: one snapshot, then the read waits and fails with the given status.</summary>
    private sealed class AbortingOnCancelInvoker(StatusCode status, bool failWithoutCancel = false) : CallInvoker
    {
        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method,
            string? host, CallOptions options, TRequest request)
        {
            var reader = new Reader<TResponse>((TResponse)(object)new StreamHealthResponse(), status, failWithoutCancel);
            return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options,
            TRequest request) => throw new NotSupportedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host,
            CallOptions options, TRequest request) => throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();
    }

    private sealed class Reader<T>(T first, StatusCode status, bool failWithoutCancel) : IAsyncStreamReader<T>
    {
        private bool _sent;

        public T Current => first;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!_sent)
            {
                _sent = true;
                return true;
            }
            if (!failWithoutCancel)
            {
                // Woken by the cancellation, as the aborted HTTP/2 stream wakes grpc-dotnet's read.
                var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using (cancellationToken.Register(() => woken.TrySetResult()))
                {
                    await woken.Task;
                }
            }
            throw new RpcException(new Status(status, "Error reading next message. IOException: The request was aborted.",
                new IOException("The request was aborted.")));
        }
    }
}
