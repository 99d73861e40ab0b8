using System.Diagnostics;
using System.Globalization;
using Etcdserverpb;
using Grpc.Core;

namespace Vtorc.Protocol.Etcd;

/// <summary>
/// Keeps one lease alive: a keepalive every TTL/3 over one stream, re-opened (on the next endpoint if need be)
/// after transient failures. The lease counts as lost when etcd answers TTL ≤ 0 (expired or revoked) or when
/// no renewal succeeded before the last granted TTL ran out. Loss completes <see cref="Lost"/> and cancels
/// <see cref="LostToken"/>. Disposing stops renewing (it does not revoke); <see cref="Lost"/> is then cancelled
/// unless the lease was already lost.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly EtcdClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly TaskCompletionSource<LeaseLoss> _lostSource = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _lastTtl;
    private int _renewals;
    private int _lossReported;

    private LeaseKeeper(EtcdClient client, long leaseId, TimeSpan ttl)
    {
        _client = client;
        LeaseId = leaseId;
        Ttl = ttl;
        LostToken = _lost.Token;
    }

    public long LeaseId { get; }

    /// <summary>The TTL the lease was granted with; renewals are sent every third of it.</summary>
    public TimeSpan Ttl { get; }

    /// <summary>Completes with the reason once the lease is gone; cancelled if the keeper is disposed first.</summary>
    public Task<LeaseLoss> Lost => _lostSource.Task;

    /// <summary>Cancelled when the lease is lost; link work that must stop with the lease to it.</summary>
    public CancellationToken LostToken { get; }

    public bool IsLost => _lostSource.Task.IsCompletedSuccessfully;

    /// <summary>The TTL etcd granted on the last renewal (0 before the first).</summary>
    public long LastRenewedTtl => Interlocked.Read(ref _lastTtl);

    /// <summary>How many renewals etcd has confirmed.</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    internal static LeaseKeeper Start(EtcdClient client, long leaseId, TimeSpan ttl)
    {
        var keeper = new LeaseKeeper(client, leaseId, ttl);
        keeper._loop = Task.Run(keeper.RunAsync);
        return keeper;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        await _loop.ConfigureAwait(false);
        _lostSource.TrySetCanceled();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var interval = Ttl / 3 < MinInterval ? MinInterval : Ttl / 3;
        var clock = Stopwatch.StartNew();
        // The caller has just granted or renewed the lease, so it is good for one TTL from now.
        var expiresAt = Ttl;
        var retryDelay = FirstRetryDelay;
        EtcdException? lastError = null;
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var pool = _client.Pool;
                var index = pool.Current;
                var endpoint = pool.Endpoint(index).ToString();
                try
                {
                    using (var call = pool.Stubs(index).Lease.LeaseKeepAlive(new CallOptions(cancellationToken: stop)))
                    {
                        while (true)
                        {
                            var sentAt = clock.Elapsed;
                            var ttl = await ExchangeAsync(call, ExchangeBudget(expiresAt - sentAt), stop).ConfigureAwait(false);
                            if (ttl <= 0)
                            {
                                ReportLost($"etcd reports lease {LeaseId} not found: it expired or was revoked", null);
                                return;
                            }
                            expiresAt = sentAt + TimeSpan.FromSeconds(ttl);
                            Interlocked.Exchange(ref _lastTtl, ttl);
                            Interlocked.Increment(ref _renewals);
                            pool.MarkWorking(index);
                            retryDelay = FirstRetryDelay;
                            lastError = null;
                            await Task.Delay(interval, stop).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (RpcException e)
                {
                    lastError = EtcdErrors.FromRpc(e, "LeaseKeepAlive", LeaseText, endpoint);
                    pool.MarkFailed(index);
                }
                catch (TimeoutException e)
                {
                    lastError = new EtcdException(EtcdErrorKind.DeadlineExceeded, "LeaseKeepAlive", LeaseText, e.Message,
                        StatusCode.DeadlineExceeded, endpoint, inner: e);
                    pool.MarkFailed(index);
                }
                catch (Exception e) when (e is InvalidOperationException and not ObjectDisposedException or IOException or HttpRequestException)
                {
                    // The stream broke in a way the transport did not turn into a status (a write after the call
                    // ended); like any failed exchange it is retried until the TTL runs out.
                    lastError = new EtcdException(EtcdErrorKind.Other, "LeaseKeepAlive", LeaseText, e.Message, endpoint: endpoint, inner: e);
                    pool.MarkFailed(index);
                }

                var left = expiresAt - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    ReportLost($"no renewal of lease {LeaseId} succeeded within its {Ttl.TotalSeconds:0.#} s TTL; last error: {lastError?.Message}",
                        lastError);
                    return;
                }
                await Task.Delay(retryDelay < left ? retryDelay : left, stop).ConfigureAwait(false);
                retryDelay = retryDelay * 2 < interval ? retryDelay * 2 : interval;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A bug here must not leave the holder believing it still has the lease.
            ReportLost($"lease keeper for {LeaseId} failed unexpectedly: {e.Message}", null);
        }
    }

    /// <summary>One request and its answer within <paramref name="budget"/>.</summary>
    private async Task<long> ExchangeAsync(
        AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call, TimeSpan budget, CancellationToken stop)
    {
        using var exchange = CancellationTokenSource.CreateLinkedTokenSource(stop);
        exchange.CancelAfter(budget);
        try
        {
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = LeaseId }, exchange.Token).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(exchange.Token).ConfigureAwait(false))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "keepalive stream ended"));
            }
            return call.ResponseStream.Current.TTL;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }
            && exchange.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            throw new TimeoutException($"no keepalive answer within {budget.TotalMilliseconds:0} ms");
        }
    }

    private TimeSpan ExchangeBudget(TimeSpan untilExpiry)
    {
        var budget = _client.Options.DefaultCallTimeout;
        if (untilExpiry < budget)
        {
            budget = untilExpiry;
        }
        return budget < MinInterval ? MinInterval : budget;
    }

    private string LeaseText => "lease " + LeaseId.ToString(CultureInfo.InvariantCulture);

    private void ReportLost(string reason, EtcdException? error)
    {
        // Work under the lease (a shard lock holder's reparent) must be cancelled no later than anyone hears of
        // the loss: cancel the token first, then complete Lost. The flag keeps a loss reported once.
        if (Interlocked.Exchange(ref _lossReported, 1) != 0)
        {
            return;
        }
        _lost.Cancel();
        _lostSource.TrySetResult(new LeaseLoss(LeaseId, reason, error));
    }
}
