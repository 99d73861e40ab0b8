using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;

namespace Vtorc.Protocol.Etcd;

/// <summary>
/// One established watch on its own stream. <see cref="ReadAsync"/> yields responses that carry events, in
/// etcd's order; the <c>created</c> answer and empty progress notices are consumed internally. A watch whose
/// start revision was compacted fails with <see cref="EtcdErrorKind.Compacted"/> naming the compact revision.
/// Dispose to cancel the watch.
/// </summary>
public sealed class EtcdWatch : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly string _subject;
    private bool _ended;
    private long _lastResponseTimestamp = Stopwatch.GetTimestamp();

    private EtcdWatch(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, string subject, string endpoint, WatchResponse created)
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

    /// <summary>
    /// How long ago etcd last sent anything on this stream (events, progress notices included); with
    /// <see cref="RequestProgressAsync"/> it tells a silent but healthy watch from a dead stream.
    /// </summary>
    public TimeSpan SinceLastResponse => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastResponseTimestamp));

    /// <summary>
    /// Asks etcd for a progress notice on this stream (a WatchRequest with progress_request, etcd 3.4+): an answer
    /// without events that only proves the stream is alive. Its revision is not used as a resume point, because
    /// etcd before 3.5.8 could answer with a revision beyond events it had not sent yet.
    /// </summary>
    public async Task RequestProgressAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _call.RequestStream.WriteAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw EtcdErrors.FromRpc(e, "WatchProgress", _subject, Endpoint);
        }
    }

    internal static async Task<EtcdWatch> OpenAsync(
        Watch.WatchClient stub, string endpoint, WatchCreateRequest request, string subject, CallOptions openOptions)
    {
        // The stream outlives the opening deadline, so it gets none; disposal cancels it.
        var call = stub.Watch(new CallOptions());
        try
        {
            using var opening = CancellationTokenSource.CreateLinkedTokenSource(openOptions.CancellationToken);
            if (openOptions.Deadline is { } deadline)
            {
                var left = deadline - DateTime.UtcNow;
                opening.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            bool confirmed;
            try
            {
                await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = request }, opening.Token).ConfigureAwait(false);
                confirmed = await call.ResponseStream.MoveNext(opening.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }
                && opening.IsCancellationRequested && !openOptions.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, "watch was not confirmed before the deadline"));
            }
            if (!confirmed)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "watch stream ended before the watch was created"));
            }
            var created = call.ResponseStream.Current;
            ThrowIfCompactedOrRefused(created, subject, endpoint);
            return new EtcdWatch(call, subject, endpoint, created);
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next response with events; null once the watch has ended (cancelled by etcd or the stream closed with OK).
    /// Cancelling <paramref name="cancellationToken"/> ends the watch, not only this read (grpc-dotnet cancels the call).
    /// </summary>
    public async ValueTask<WatchResponse?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (!_ended)
        {
            WatchResponse? response;
            try
            {
                response = await _call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) ? _call.ResponseStream.Current : null;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
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
            Interlocked.Exchange(ref _lastResponseTimestamp, Stopwatch.GetTimestamp());
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
        _call.Dispose();
        return ValueTask.CompletedTask;
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
