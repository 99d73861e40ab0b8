using System.Runtime.CompilerServices;
using Grpc.Core;
using Query;

namespace Vtorc.Protocol.Tablets;

/// <summary>
/// The client side of a tablet's health stream (<c>/queryservice.Query/StreamHealth</c>, docs/wire-format.md "The health
/// stream"), on a channel the caller already holds to the tablet (the one its TabletManager calls use): one request,
/// then the tablet's snapshots as they arrive until the tablet ends the stream or the caller cancels.
/// </summary>
public static class TabletHealthStream
{
    /// <summary>
    /// The snapshots of one stream. Ends when the tablet ends the stream normally; throws <see cref="RpcException"/>
    /// when it fails (RESOURCE_EXHAUSTED: this client fell behind; UNAVAILABLE: the connection broke) and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires. No deadline: the stream
    /// lives as long as the caller wants it, and the caller times out on the tablet's silence instead.
    /// </summary>
    public static async IAsyncEnumerable<StreamHealthResponse> ReadAsync(CallInvoker invoker, Metadata? headers,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        var client = new Queryservice.Query.QueryClient(invoker);
        using var call = client.StreamHealth(new StreamHealthRequest(), new CallOptions(headers, cancellationToken: cancellationToken));
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            // Whatever the status: when the caller cancels a read in progress, grpc-dotnet reports CANCELLED only if its own
            // cancellation wins the race; when the HTTP/2 stream's abort wakes the read first, the same cancellation comes
            // out as UNAVAILABLE "Error reading next message. IOException: The request was aborted", which looked like a
            // broken connection (and made the caller drop a healthy one).
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("health stream cancelled by the caller", e, cancellationToken);
            }
            if (!more)
            {
                yield break;
            }
            yield return call.ResponseStream.Current;
        }
    }
}
