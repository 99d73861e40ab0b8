using System.Globalization;
using System.Runtime.CompilerServices;
using Etcdserverpb;
using Vtorc.Protocol.Grpc;

namespace Vtorc.Protocol.Etcd;

/// <summary>
/// One established watch on its own stream. <see cref="ReadAsync"/> yields responses that carry events, in
/// etcd's order; the <c>created</c> answer and empty progress notices are consumed internally. A watch whose
/// start revision was compacted fails with <see cref="EtcdErrorKind.Compacted"/> naming the compact revision.
/// Dispose to cancel the watch.
/// </summary>
public sealed class EtcdWatch : IAsyncDisposable
{
    private readonly DuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly string _subject;
    private bool _ended;

    private EtcdWatch(DuplexStreamingCall<WatchRequest, WatchResponse> call, string subject, string endpoint, WatchResponse created)
    {
        _call = call;
        _subject = subject;
        Endpoint = endpoint;
        WatchId = created.WatchId;
        CreatedRevision = created.Header?.Revision ?? 0;
    }

    /// <summary>The server-assigned id (the first watch on a stream is 0).</summary>
    public long WatchId { get; }

    /// <summary>The store revision when etcd created the watch.</summary>
    public long CreatedRevision { get; }

    /// <summary>The endpoint serving this watch.</summary>
    public string Endpoint { get; }

    internal static async Task<EtcdWatch> OpenAsync(
        GrpcChannel channel, string endpoint, WatchCreateRequest request, string subject, CallOptions openOptions)
    {
        // The stream outlives the opening deadline, so it gets none; disposal cancels it.
        var call = channel.DuplexStreaming<WatchRequest, WatchResponse>(EtcdMethods.Watch, new CallOptions());
        try
        {
            using var opening = CancellationTokenSource.CreateLinkedTokenSource(openOptions.CancellationToken);
            if (openOptions.Timeout is { } timeout)
            {
                opening.CancelAfter(timeout);
            }
            WatchResponse? created;
            try
            {
                await call.WriteAsync(new WatchRequest { CreateRequest = request }, opening.Token).ConfigureAwait(false);
                created = await call.ReadAsync(opening.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { Status: StatusCode.Cancelled }
                && opening.IsCancellationRequested && !openOptions.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(StatusCode.DeadlineExceeded, "watch was not confirmed before the deadline", EtcdMethods.Watch);
            }
            if (created is null)
            {
                throw new RpcException(StatusCode.Unavailable, "watch stream ended before the watch was created", EtcdMethods.Watch);
            }
            ThrowIfCompactedOrRefused(created, subject, endpoint);
            return new EtcdWatch(call, subject, endpoint, created);
        }
        catch
        {
            await call.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The next response with events; null once the watch has ended (cancelled by etcd or the stream closed with OK).</summary>
    public async ValueTask<WatchResponse?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (!_ended)
        {
            WatchResponse? response;
            try
            {
                response = await _call.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.Status == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("watch read cancelled", e, cancellationToken);
            }
            catch (RpcException e)
            {
                _ended = true;
                throw EtcdErrors.FromRpc(e, "Watch", _subject, Endpoint);
            }
            if (response is null)
            {
                _ended = true;
                return null;
            }
            ThrowIfCompactedOrRefused(response, _subject, Endpoint);
            if (response.Canceled)
            {
                _ended = true;
                return null;
            }
            if (response.Events.Count > 0)
            {
                return response;
            }
        }
        return null;
    }

    /// <summary>All further responses with events until the watch ends or the token is cancelled.</summary>
    public async IAsyncEnumerable<WatchResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } response)
        {
            yield return response;
        }
    }

    public ValueTask DisposeAsync()
    {
        _ended = true;
        return _call.DisposeAsync();
    }

    private static void ThrowIfCompactedOrRefused(WatchResponse response, string subject, string endpoint)
    {
        if (response.CompactRevision != 0)
        {
            throw new EtcdException(EtcdErrorKind.Compacted, "Watch", subject,
                "required revision has been compacted; the oldest revision still available is "
                + response.CompactRevision.ToString(CultureInfo.InvariantCulture),
                StatusCode.OutOfRange, endpoint, response.CompactRevision);
        }
        if (response.Canceled && !string.IsNullOrEmpty(response.CancelReason))
        {
            var kind = response.CancelReason.Contains("future revision", StringComparison.OrdinalIgnoreCase)
                ? EtcdErrorKind.FutureRevision
                : EtcdErrorKind.Other;
            throw new EtcdException(kind, "Watch", subject, "etcd cancelled the watch: " + response.CancelReason, endpoint: endpoint);
        }
    }
}
