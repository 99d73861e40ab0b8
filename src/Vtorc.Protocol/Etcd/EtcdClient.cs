using System.Diagnostics;
using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace Vtorc.Protocol.Etcd;

/// <summary>
/// etcd v3 client on etcd's generated gRPC stubs over grpc-dotnet channels: KV, txn, leases (grant, revoke,
/// keepalive), watch and status, with fail-over across the configured endpoints (docs/etcd-client.md). Every call has a deadline (the given timeout or
/// <see cref="EtcdClientOptions.DefaultCallTimeout"/>) covering all endpoints it tries, and a cancellation token.
/// Failures surface as <see cref="EtcdException"/>; the caller's own cancellation as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class EtcdClient : IAsyncDisposable
{
    private readonly EtcdEndpointPool _pool;

    public EtcdClient(EtcdClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoints is null || options.Endpoints.Count == 0)
        {
            throw new ArgumentException("EtcdClientOptions.Endpoints is empty", nameof(options));
        }
        if (options.DialTimeout <= TimeSpan.Zero || options.DefaultCallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"etcd DialTimeout ({options.DialTimeout}) and DefaultCallTimeout ({options.DefaultCallTimeout}) must be positive", nameof(options));
        }
        if (options.KeepAlivePingInterval is { } ping && ping < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"etcd KeepAlivePingInterval ({ping}) must be at least one second", nameof(options));
        }
        Options = options;
        var endpoints = options.Endpoints.Select(e => EtcdEndpoint.Parse(e, options.UsesTls)).ToArray();
        _pool = new EtcdEndpointPool(endpoints, e => new EtcdStubs(EtcdChannelFactory.Create(e, options)));
    }

    public EtcdClientOptions Options { get; }

    internal EtcdEndpointPool Pool => _pool;

    /// <summary>The endpoint the next call tries first (the last one that worked).</summary>
    public string CurrentEndpoint => _pool.Endpoint(_pool.Current).ToString();

    // ---- KV ----

    public Task<RangeResponse> RangeAsync(RangeRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return UnaryAsync("Range", Describe(request.Key, request.RangeEnd), mutating: false, timeout, cancellationToken,
            (stubs, options) => stubs.Kv.RangeAsync(request, options));
    }

    /// <summary>The key's current value and revisions, or null when it does not exist.</summary>
    public async Task<KeyValue?> GetAsync(string key, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var response = await RangeAsync(new RangeRequest { Key = EtcdKeys.Key(key) }, timeout, cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : response.Kvs[0];
    }

    /// <summary>Every key starting with <paramref name="prefix"/>, by key ascending unless <paramref name="shape"/> says otherwise.</summary>
    public Task<RangeResponse> GetPrefixAsync(string prefix, Action<RangeRequest>? shape = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = PrefixRange(prefix);
        shape?.Invoke(request);
        return RangeAsync(request, timeout, cancellationToken);
    }

    /// <summary>A range request covering every key that starts with <paramref name="prefix"/> (range_end = prefix-end).</summary>
    public static RangeRequest PrefixRange(string prefix) =>
        new() { Key = EtcdKeys.Key(prefix), RangeEnd = EtcdKeys.PrefixEnd(prefix) };

    public Task<PutResponse> PutAsync(PutRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return UnaryAsync("Put", EtcdKeys.Display(request.Key), mutating: true, timeout, cancellationToken,
            (stubs, options) => stubs.Kv.PutAsync(request, options));
    }

    public Task<PutResponse> PutAsync(string key, ByteString value, long leaseId = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        PutAsync(new PutRequest { Key = EtcdKeys.Key(key), Value = value, Lease = leaseId }, timeout, cancellationToken);

    public Task<PutResponse> PutAsync(string key, string value, long leaseId = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        PutAsync(key, ByteString.CopyFromUtf8(value), leaseId, timeout, cancellationToken);

    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return UnaryAsync("DeleteRange", Describe(request.Key, request.RangeEnd), mutating: true, timeout, cancellationToken,
            (stubs, options) => stubs.Kv.DeleteRangeAsync(request, options));
    }

    /// <summary>Deletes one key; the response's <c>Deleted</c> is 0 when it did not exist.</summary>
    public Task<DeleteRangeResponse> DeleteAsync(string key, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        DeleteRangeAsync(new DeleteRangeRequest { Key = EtcdKeys.Key(key) }, timeout, cancellationToken);

    public Task<DeleteRangeResponse> DeletePrefixAsync(string prefix, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        DeleteRangeAsync(new DeleteRangeRequest { Key = EtcdKeys.Key(prefix), RangeEnd = EtcdKeys.PrefixEnd(prefix) }, timeout, cancellationToken);

    public Task<TxnResponse> TxnAsync(TxnRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subject = request.Compare.Count > 0 ? EtcdKeys.Display(request.Compare[0].Key) : null;
        return UnaryAsync("Txn", subject, mutating: true, timeout, cancellationToken, (stubs, options) => stubs.Kv.TxnAsync(request, options));
    }

    /// <summary>If every compare holds run <paramref name="success"/>, otherwise <paramref name="failure"/>, atomically.</summary>
    public Task<TxnResponse> TxnAsync(
        IEnumerable<Compare> compare,
        IEnumerable<RequestOp> success,
        IEnumerable<RequestOp>? failure = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var request = new TxnRequest();
        request.Compare.AddRange(compare);
        request.Success.AddRange(success);
        if (failure is not null)
        {
            request.Failure.AddRange(failure);
        }
        return TxnAsync(request, timeout, cancellationToken);
    }

    /// <summary>Discards history older than <paramref name="revision"/>; watches and reads below it then fail as compacted.</summary>
    public Task<CompactionResponse> CompactAsync(long revision, bool physical = false, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UnaryAsync("Compact", null, mutating: false, timeout, cancellationToken,
            (stubs, options) => stubs.Kv.CompactAsync(new CompactionRequest { Revision = revision, Physical = physical }, options));

    // ---- Leases ----

    /// <summary>Grants a lease of <paramref name="ttlSeconds"/> (etcd may raise it to its minimum); id 0 lets etcd choose.</summary>
    public async Task<LeaseGrantResponse> LeaseGrantAsync(long ttlSeconds, long leaseId = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (ttlSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ttlSeconds), ttlSeconds, "lease TTL must be at least one second");
        }
        var response = await UnaryAsync("LeaseGrant", null, mutating: true, timeout, cancellationToken,
            (stubs, options) => stubs.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds, ID = leaseId }, options)).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(response.Error))
        {
            throw new EtcdException(EtcdErrorKind.Other, "LeaseGrant", null, response.Error, endpoint: CurrentEndpoint);
        }
        return response;
    }

    /// <summary>Revokes a lease and deletes its keys. An unknown lease is <see cref="EtcdErrorKind.LeaseNotFound"/>.</summary>
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(long leaseId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UnaryAsync("LeaseRevoke", LeaseText(leaseId), mutating: true, timeout, cancellationToken,
            (stubs, options) => stubs.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, options));

    /// <summary>Remaining TTL in seconds (-1 when the lease does not exist) and optionally its keys.</summary>
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(long leaseId, bool keys = false, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UnaryAsync("LeaseTimeToLive", LeaseText(leaseId), mutating: false, timeout, cancellationToken,
            (stubs, options) => stubs.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = leaseId, Keys = keys }, options));

    /// <summary>
    /// One keepalive exchange (open stream, send the id, read one answer, half-close): the lock "Check" of
    /// docs/wire-format.md, "Topology locks". Returns the renewed TTL in seconds; 0 or less means the lease is gone.
    /// </summary>
    public Task<long> LeaseKeepAliveOnceAsync(long leaseId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WithFailoverAsync("LeaseKeepAlive", LeaseText(leaseId), mutating: false, timeout, cancellationToken, async (stubs, _, callOptions) =>
        {
            using var call = stubs.Lease.LeaseKeepAlive(callOptions);
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, callOptions.CancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(callOptions.CancellationToken).ConfigureAwait(false))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "keepalive stream ended without an answer"));
            }
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return call.ResponseStream.Current.TTL;
        });

    /// <summary>
    /// Keeps the lease alive every TTL/3 over one stream until disposed, re-opening the stream (on any endpoint)
    /// after transient failures, and reports through <see cref="LeaseKeeper.Lost"/> when the lease is gone.
    /// </summary>
    public LeaseKeeper KeepAlive(long leaseId, long ttlSeconds)
    {
        if (ttlSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ttlSeconds), ttlSeconds, "lease TTL must be at least one second");
        }
        return LeaseKeeper.Start(this, leaseId, TimeSpan.FromSeconds(ttlSeconds));
    }

    // ---- Watch ----

    /// <summary>
    /// Opens a watch and returns once etcd confirmed it (the <c>created</c> answer is consumed here). The timeout
    /// bounds only the opening; reading runs until the watch is disposed or the token is cancelled.
    /// </summary>
    public Task<EtcdWatch> WatchAsync(WatchCreateRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subject = Describe(request.Key, request.RangeEnd);
        return WithFailoverAsync("Watch", subject, mutating: false, timeout, cancellationToken, (stubs, endpoint, callOptions) =>
            EtcdWatch.OpenAsync(stubs.Watch, endpoint, request, subject, callOptions));
    }

    /// <summary>Watches one key from <paramref name="startRevision"/> (inclusive; 0 = from now).</summary>
    public Task<EtcdWatch> WatchKeyAsync(string key, long startRevision = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WatchAsync(new WatchCreateRequest { Key = EtcdKeys.Key(key), StartRevision = startRevision }, timeout, cancellationToken);

    /// <summary>Watches every key starting with <paramref name="prefix"/> from <paramref name="startRevision"/>.</summary>
    public Task<EtcdWatch> WatchPrefixAsync(string prefix, long startRevision = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WatchAsync(new WatchCreateRequest { Key = EtcdKeys.Key(prefix), RangeEnd = EtcdKeys.PrefixEnd(prefix), StartRevision = startRevision },
            timeout, cancellationToken);

    // ---- Maintenance ----

    /// <summary>The status of the member at the current endpoint (falls over to the next like any read).</summary>
    public Task<StatusResponse> StatusAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UnaryAsync("Status", null, mutating: false, timeout, cancellationToken,
            (stubs, options) => stubs.Maintenance.StatusAsync(new StatusRequest(), options));

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    // ---- plumbing ----

    private Task<TResponse> UnaryAsync<TResponse>(
        string operation, string? key, bool mutating, TimeSpan? timeout, CancellationToken cancellationToken,
        Func<EtcdStubs, CallOptions, AsyncUnaryCall<TResponse>> invoke) =>
        // A unary call cleans up after itself once it has finished, with a response or a status, so it needs no Dispose.
        WithFailoverAsync(operation, key, mutating, timeout, cancellationToken, (stubs, _, callOptions) => invoke(stubs, callOptions).ResponseAsync);

    /// <summary>
    /// Runs one attempt per endpoint, starting at the current one, within a single deadline. Moves on after
    /// UNAVAILABLE (connection refused/reset, no leader) and, for reads, after an attempt's share of the deadline.
    /// Writes move on only when etcd certainly did not apply them (see <see cref="CertainlyNotApplied"/>).
    /// </summary>
    internal async Task<T> WithFailoverAsync<T>(
        string operation, string? key, bool mutating, TimeSpan? timeout, CancellationToken cancellationToken,
        Func<EtcdStubs, string, CallOptions, Task<T>> attempt)
    {
        var budget = timeout ?? Options.DefaultCallTimeout;
        if (budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"etcd {operation} timeout must be positive");
        }
        var started = Stopwatch.GetTimestamp();
        var start = _pool.Current;
        List<string>? failures = null;
        RpcException? last = null;
        string? lastEndpoint = null;
        for (var i = 0; i < _pool.Count; i++)
        {
            var index = (start + i) % _pool.Count;
            var endpoint = _pool.Endpoint(index).ToString();
            var remaining = budget - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }
            cancellationToken.ThrowIfCancellationRequested();
            // A read shares the deadline among the endpoints still untried, so one silent (partitioned) member
            // cannot use it all up. A write gets all of it: after a write's deadline nobody knows whether it applied.
            var endpointsLeft = _pool.Count - i;
            var attemptBudget = mutating ? remaining : remaining / endpointsLeft;
            try
            {
                var callOptions = new CallOptions(deadline: DateTime.UtcNow + attemptBudget, cancellationToken: cancellationToken);
                var result = await attempt(_pool.Stubs(index), endpoint, callOptions).ConfigureAwait(false);
                _pool.MarkWorking(index);
                return result;
            }
            catch (RpcException e) when (EtcdErrors.IsEndpointFailure(e) && (!mutating || CertainlyNotApplied(e)))
            {
                _pool.MarkFailed(index);
                (failures ??= []).Add($"{endpoint}: {e.Status.Detail}");
                last = e;
                lastEndpoint = endpoint;
            }
            catch (RpcException e) when (!mutating && endpointsLeft > 1 && e.StatusCode == StatusCode.DeadlineExceeded)
            {
                _pool.MarkFailed(index);
                (failures ??= []).Add($"{endpoint}: {e.Status.Detail}");
                last = e;
                lastEndpoint = endpoint;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                // The caller's own cancellation surfaces the .NET way, not as an etcd failure.
                throw new OperationCanceledException($"etcd {operation} cancelled by the caller", e, cancellationToken);
            }
            catch (RpcException e)
            {
                throw EtcdErrors.FromRpc(e, operation, key, endpoint);
            }
        }

        if (last is not null && failures?.Count == _pool.Count)
        {
            throw new EtcdException(EtcdErrorKind.Unavailable, operation, key,
                "no endpoint could serve the call: " + string.Join("; ", failures!), StatusCode.Unavailable, lastEndpoint, inner: last);
        }
        throw new EtcdException(EtcdErrorKind.DeadlineExceeded, operation, key,
            $"deadline of {budget.TotalMilliseconds:0} ms passed" + (failures is not null ? " after: " + string.Join("; ", failures) : ""),
            StatusCode.DeadlineExceeded, lastEndpoint, inner: last);
    }

    /// <summary>
    /// True only when etcd certainly did not apply the request: the connection could not be opened, the stream
    /// was refused, or etcd had no leader to propose it to. After any other failure (a connection broken
    /// mid-call, "request timed out", "leader changed") a write may have been applied, and repeating it
    /// elsewhere could double-apply or make a create-if-absent report its own earlier success as a conflict.
    /// </summary>
    private static bool CertainlyNotApplied(RpcException e)
    {
        if ((e.Status.Detail ?? "").Contains("etcdserver: no leader", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        // grpc-dotnet keeps the transport's exception as the status's debug exception.
        for (var inner = e.Status.DebugException ?? e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError }
                || inner is System.Net.Sockets.SocketException
                || inner is HttpProtocolException { ErrorCode: RefusedStream })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>HTTP/2 REFUSED_STREAM: the server did not start processing the stream (RFC 9113, section 8.7).</summary>
    private const long RefusedStream = 0x7;

    private static string LeaseText(long leaseId) => "lease " + leaseId.ToString(CultureInfo.InvariantCulture);

    private static string Describe(ByteString key, ByteString rangeEnd)
    {
        var text = EtcdKeys.Display(key);
        if (rangeEnd.IsEmpty)
        {
            return text;
        }
        return rangeEnd.Equals(EtcdKeys.PrefixEnd(key)) ? text + "*" : $"[{text}, {EtcdKeys.Display(rangeEnd)})";
    }
}
