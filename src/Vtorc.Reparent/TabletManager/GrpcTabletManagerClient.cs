using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using Replicationdata;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Protocol.Rpc;
using Vtorc.Protocol.Tablets;
using Vtorc.Topo;
using static Tabletmanagerservice.TabletManager;
using Status = Replicationdata.Status;

namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// <see cref="ITabletManagerClient"/> on grpc-dotnet's generated client. One channel (one HTTP/2 connection, no PINGs:
/// <see cref="RpcChannels"/>) per tablet address is kept and reused; a channel whose connection failed is dropped so the
/// next call dials afresh. Thread-safe.
/// </summary>
public sealed class GrpcTabletManagerClient : ITabletManagerClient, ITabletHealthStreams, IDisposable
{
    public const string ServicePath = "/tabletmanagerservice.TabletManager/";

    private readonly ConcurrentDictionary<string, Lazy<TabletChannel>> _channels = new(StringComparer.Ordinal);
    // Channels dropped on purpose by ResetConnection (not because their connection failed): a health stream that ends
    // with one is reported as replaced, not as failed (HealthStreamConnectionReplacedException).
    private readonly ConditionalWeakTable<Lazy<TabletChannel>, object> _replaced = [];
    private readonly TabletManagerClientOptions _options;
    private readonly Metadata? _headers;
    private bool _disposed;

    public GrpcTabletManagerClient(TabletManagerClientOptions? options = null)
    {
        _options = options ?? new TabletManagerClientOptions();
        if (_options.DefaultTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the default tablet call timeout must be positive, got {_options.DefaultTimeout}", nameof(options));
        }
        if (_options.Headers is { Count: > 0 } headers)
        {
            _headers = [];
            foreach (var (name, value) in headers)
            {
                try
                {
                    _headers.Add(name, value);
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"tablet call metadata \"{name}\" is not allowed: {e.Message}", nameof(options), e);
                }
            }
        }
    }

    public TimeSpan DefaultTimeout => _options.DefaultTimeout;

    /// <summary>Addresses with an open channel (for tests and status pages).</summary>
    public IReadOnlyCollection<string> CachedAddresses => _channels.Keys.ToArray();

    public async Task<string> PingAsync(Tablet tablet, string payload, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var response = await CallAsync<PingRequest, PingResponse>(tablet, "Ping", static (c, r, o) => c.PingAsync(r, o),
            new PingRequest { Payload = payload }, timeout, cancellationToken)
            .ConfigureAwait(false);
        return response.Payload;
    }

    public async Task<FullStatus> FullStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<FullStatusRequest, FullStatusResponse>(tablet, "FullStatus", static (c, r, o) => c.FullStatusAsync(r, o),
            new(), timeout, cancellationToken).ConfigureAwait(false)).Status
        ?? new FullStatus();

    public async Task<Status> ReplicationStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<ReplicationStatusRequest, ReplicationStatusResponse>(tablet, "ReplicationStatus",
            static (c, r, o) => c.ReplicationStatusAsync(r, o),
            new(), timeout, cancellationToken)
            .ConfigureAwait(false)).Status ?? new Status();

    public async Task<PrimaryStatus> PrimaryStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<PrimaryStatusRequest, PrimaryStatusResponse>(tablet, "PrimaryStatus", static (c, r, o) => c.PrimaryStatusAsync(r, o),
            new(), timeout, cancellationToken)
            .ConfigureAwait(false)).Status ?? new PrimaryStatus();

    public async Task<string> PrimaryPositionAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<PrimaryPositionRequest, PrimaryPositionResponse>(tablet, "PrimaryPosition", static (c, r, o) => c.PrimaryPositionAsync(r, o),
            new(), timeout, cancellationToken)
            .ConfigureAwait(false)).Position;

    public Task WaitForPositionAsync(Tablet tablet, string position, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<WaitForPositionRequest, WaitForPositionResponse>(tablet, "WaitForPosition", static (c, r, o) => c.WaitForPositionAsync(r, o),
            new WaitForPositionRequest { Position = position },
            timeout, cancellationToken);

    public Task StopReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<StopReplicationRequest, StopReplicationResponse>(tablet, "StopReplication", static (c, r, o) => c.StopReplicationAsync(r, o),
            new(), timeout, cancellationToken);

    public Task StartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<StartReplicationRequest, StartReplicationResponse>(tablet, "StartReplication", static (c, r, o) => c.StartReplicationAsync(r, o),
            new StartReplicationRequest { SemiSync = semiSync },
            timeout, cancellationToken);

    public Task RestartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<RestartReplicationRequest, RestartReplicationResponse>(tablet, "RestartReplication",
            static (c, r, o) => c.RestartReplicationAsync(r, o),
            
            new RestartReplicationRequest { SemiSync = semiSync }, timeout, cancellationToken);

    public async Task<StopReplicationStatus> StopReplicationAndGetStatusAsync(Tablet tablet, StopReplicationMode mode,
        CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<StopReplicationAndGetStatusRequest, StopReplicationAndGetStatusResponse>(tablet, "StopReplicationAndGetStatus",
            static (c, r, o) => c.StopReplicationAndGetStatusAsync(r, o),
            
            new StopReplicationAndGetStatusRequest { StopReplicationMode = mode }, timeout, cancellationToken).ConfigureAwait(false)).Status
        ?? new StopReplicationStatus();

    public Task SetReplicationSourceAsync(Tablet tablet, TabletAlias parent, long timeCreatedNs, string waitPosition, bool forceStartReplication,
        bool semiSync, double heartbeatInterval, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return CallAsync<SetReplicationSourceRequest, SetReplicationSourceResponse>(tablet, "SetReplicationSource",
            static (c, r, o) => c.SetReplicationSourceAsync(r, o),
            new SetReplicationSourceRequest
        {
            Parent = parent,
            TimeCreatedNs = timeCreatedNs,
            WaitPosition = waitPosition ?? "",
            ForceStartReplication = forceStartReplication,
            SemiSync = semiSync,
            HeartbeatInterval = heartbeatInterval,
        }, timeout, cancellationToken);
    }

    public async Task<string> PromoteReplicaAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>(tablet, "PromoteReplica", static (c, r, o) => c.PromoteReplicaAsync(r, o),
            new PromoteReplicaRequest { SemiSync = semiSync },
            timeout, cancellationToken).ConfigureAwait(false)).Position;

    public async Task<string> InitPrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<InitPrimaryRequest, InitPrimaryResponse>(tablet, "InitPrimary", static (c, r, o) => c.InitPrimaryAsync(r, o),
            new InitPrimaryRequest { SemiSync = semiSync },
            timeout, cancellationToken).ConfigureAwait(false)).Position;

    public async Task<PrimaryStatus> DemotePrimaryAsync(Tablet tablet, bool force, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<DemotePrimaryRequest, DemotePrimaryResponse>(tablet, "DemotePrimary", static (c, r, o) => c.DemotePrimaryAsync(r, o),
            new DemotePrimaryRequest { Force = force },
            timeout, cancellationToken).ConfigureAwait(false)).PrimaryStatus ?? new PrimaryStatus();

    public Task UndoDemotePrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<UndoDemotePrimaryRequest, UndoDemotePrimaryResponse>(tablet, "UndoDemotePrimary",
            static (c, r, o) => c.UndoDemotePrimaryAsync(r, o),
            new UndoDemotePrimaryRequest { SemiSync = semiSync },
            timeout, cancellationToken);

    public Task SetReadOnlyAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<SetReadOnlyRequest, SetReadOnlyResponse>(tablet, "SetReadOnly", static (c, r, o) => c.SetReadOnlyAsync(r, o),
            new(), timeout, cancellationToken);

    public Task SetReadWriteAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<SetReadWriteRequest, SetReadWriteResponse>(tablet, "SetReadWrite", static (c, r, o) => c.SetReadWriteAsync(r, o),
            new(), timeout, cancellationToken);

    public Task ChangeTypeAsync(Tablet tablet, TabletType tabletType, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ChangeTypeRequest, ChangeTypeResponse>(tablet, "ChangeType", static (c, r, o) => c.ChangeTypeAsync(r, o),
            new ChangeTypeRequest { TabletType = tabletType, SemiSync = semiSync },
            timeout, cancellationToken);

    public Task RefreshStateAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<RefreshStateRequest, RefreshStateResponse>(tablet, "RefreshState", static (c, r, o) => c.RefreshStateAsync(r, o),
            new(), timeout, cancellationToken);

    public Task ResetReplicationParametersAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ResetReplicationParametersRequest, ResetReplicationParametersResponse>(tablet, "ResetReplicationParameters",
            static (c, r, o) => c.ResetReplicationParametersAsync(r, o),
            new(), timeout,
            cancellationToken);

    public Task PopulateReparentJournalAsync(Tablet tablet, long timeCreatedNs, string actionName, TabletAlias primaryAlias,
        string replicationPosition, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(primaryAlias);
        return CallAsync<PopulateReparentJournalRequest, PopulateReparentJournalResponse>(tablet, "PopulateReparentJournal",
            static (c, r, o) => c.PopulateReparentJournalAsync(r, o),
            
            new PopulateReparentJournalRequest
            {
                TimeCreatedNs = timeCreatedNs,
                ActionName = actionName ?? "",
                PrimaryAlias = primaryAlias,
                ReplicationPosition = replicationPosition ?? "",
            }, timeout, cancellationToken);
    }

    public async Task<int> ReadReparentJournalInfoAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<ReadReparentJournalInfoRequest, ReadReparentJournalInfoResponse>(tablet, "ReadReparentJournalInfo",
            static (c, r, o) => c.ReadReparentJournalInfoAsync(r, o),
            new(), timeout,
            cancellationToken).ConfigureAwait(false)).Length;

    public async Task<IReadOnlyDictionary<string, string>> GetGlobalStatusVarsAsync(Tablet tablet, IReadOnlyList<string> variables,
        CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var request = new GetGlobalStatusVarsRequest();
        request.Variables.AddRange(variables);
        var response = await CallAsync<GetGlobalStatusVarsRequest, GetGlobalStatusVarsResponse>(tablet, "GetGlobalStatusVars",
            static (c, r, o) => c.GetGlobalStatusVarsAsync(r, o),
            request, timeout,
            cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, string>(response.StatusValues, StringComparer.Ordinal);
    }

    public Task InitReplicaAsync(Tablet tablet, TabletAlias parent, string replicationPosition, long timeCreatedNs, bool semiSync,
        CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return CallAsync<InitReplicaRequest, InitReplicaResponse>(tablet, "InitReplica", static (c, r, o) => c.InitReplicaAsync(r, o),
            new InitReplicaRequest
        {
            Parent = parent,
            ReplicationPosition = replicationPosition ?? "",
            TimeCreatedNs = timeCreatedNs,
            SemiSync = semiSync,
        }, timeout, cancellationToken);
    }

    public Task ResetReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ResetReplicationRequest, ResetReplicationResponse>(tablet, "ResetReplication", static (c, r, o) => c.ResetReplicationAsync(r, o),
            new(), timeout, cancellationToken);

    public Task ReplicaWasPromotedAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ReplicaWasPromotedRequest, ReplicaWasPromotedResponse>(tablet, "ReplicaWasPromoted",
            static (c, r, o) => c.ReplicaWasPromotedAsync(r, o),
            new(), timeout, cancellationToken);

    public Task ReplicaWasRestartedAsync(Tablet tablet, TabletAlias parent, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return CallAsync<ReplicaWasRestartedRequest, ReplicaWasRestartedResponse>(tablet, "ReplicaWasRestarted",
            static (c, r, o) => c.ReplicaWasRestartedAsync(r, o),
            
            new ReplicaWasRestartedRequest { Parent = parent }, timeout, cancellationToken);
    }

    public async Task<string> StopReplicationMinimumAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        (await CallAsync<StopReplicationMinimumRequest, StopReplicationMinimumResponse>(tablet, "StopReplicationMinimum",
            static (c, r, o) => c.StopReplicationMinimumAsync(r, o),
            
            new StopReplicationMinimumRequest { Position = position ?? "", WaitTimeout = Nanoseconds(waitTimeout) }, timeout, cancellationToken)
            .ConfigureAwait(false)).Position;

    public Task StartReplicationUntilAfterAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        CallAsync<StartReplicationUntilAfterRequest, StartReplicationUntilAfterResponse>(tablet, "StartReplicationUntilAfter",
            static (c, r, o) => c.StartReplicationUntilAfterAsync(r, o),
            
            new StartReplicationUntilAfterRequest { Position = position ?? "", WaitTimeout = Nanoseconds(waitTimeout) }, timeout, cancellationToken);

    public async Task<IReadOnlyList<string>> GetReplicasAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<GetReplicasRequest, GetReplicasResponse>(tablet, "GetReplicas", static (c, r, o) => c.GetReplicasAsync(r, o),
            new(), timeout, cancellationToken).ConfigureAwait(false))
        .Addrs.ToArray();

    public void ResetConnection(Tablet tablet)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        var address = TabletAddress.Of(tablet);
        if (_channels.TryGetValue(address, out var channel))
        {
            // Marked before it is disposed, so that a stream failing from the disposal always finds the mark.
            _replaced.AddOrUpdate(channel, address);
            Evict(address, channel);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var address in _channels.Keys)
        {
            if (_channels.TryRemove(address, out var channel) && channel.IsValueCreated)
            {
                channel.Value.Channel.Dispose();
            }
        }
    }

    private async Task<TResponse> CallAsync<TRequest, TResponse>(Tablet tablet, string rpc,
        Func<TabletManagerClient, TRequest, CallOptions, AsyncUnaryCall<TResponse>> invoke, TRequest request, TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string method = ServicePath + rpc;
        string address = TabletAddress.Of(tablet, method);
        var channel = _channels.GetOrAdd(address, a => new Lazy<TabletChannel>(() => CreateChannel(a)));
        var deadline = DateTime.UtcNow + (timeout ?? _options.DefaultTimeout);
        try
        {
            using var call = invoke(channel.Value.Client, request, new CallOptions(_headers, deadline, cancellationToken));
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            if (IsConnectionFailure(e))
            {
                Evict(address, channel);
            }
            string alias = AliasOf(tablet);
            // The agent starts its own texts with the RPC's name; other errors (deadline, transport) get it here.
            string detail = e.Status.Detail.StartsWith(rpc + ":", StringComparison.Ordinal) ? e.Status.Detail : $"{rpc}: {e.Status.Detail}";
            if (_options.UseTls && TlsRefusalHint.For(e, _options.ChannelOptions, "--tablet-manager-grpc-cert/--tablet-manager-grpc-key") is { } reason)
            {
                detail = $"{rpc}: {reason} ({e.Status.Detail})";
            }
            throw TabletRpcErrors.Create(TransportStatus.Of(e), $"tablet {alias} ({address}): {detail}", method, e.Status.DebugException ?? e, e.Trailers);
        }
        catch (ObjectDisposedException e) when (!_disposed)
        {
            // Another caller dropped this tablet's connection (a failed call, a probe on a new connection) between this
            // call taking the channel and using it. The call may or may not have reached the tablet, so it is not retried
            // here; it fails as an unreachable tablet does, which every caller handles (seen in an emergency reparent's
            // repoint of the dead old primary, which failed the whole recovery as an unexpected error).
            string alias = AliasOf(tablet);
            throw TabletRpcErrors.Create(StatusCode.Unavailable,
                $"tablet {alias} ({address}): {rpc}: the connection was dropped by another call while this one used it; the next call dials afresh",
                method, e, null);
        }
    }

    /// <summary>
    /// The tablet's health stream (queryservice.Query/StreamHealth) on the same channel as its TabletManager calls:
    /// <see cref="TabletHealthStream.ReadAsync"/>. A stream that fails on the connection drops the channel, as a failed call
    /// does. A stream ended by <see cref="ResetConnection"/> throws <see cref="HealthStreamConnectionReplacedException"/>.
    /// </summary>
    public async IAsyncEnumerable<Query.StreamHealthResponse> StreamHealthAsync(Tablet tablet,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        string address = TabletAddress.Of(tablet, "/queryservice.Query/StreamHealth");
        var channel = _channels.GetOrAdd(address, a => new Lazy<TabletChannel>(() => CreateChannel(a)));
        CallInvoker invoker;
        try
        {
            invoker = channel.Value.Channel.CreateCallInvoker();
        }
        catch (ObjectDisposedException e) when (_replaced.TryGetValue(channel, out _))
        {
            throw Replaced(tablet, address, e);
        }
        await using var stream = TabletHealthStream.ReadAsync(invoker, _headers, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await stream.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception e) when (e is RpcException or ObjectDisposedException or IOException && _replaced.TryGetValue(channel, out _))
            {
                throw Replaced(tablet, address, e);
            }
            catch (RpcException e) when (IsConnectionFailure(e))
            {
                Evict(address, channel);
                throw;
            }
            yield return stream.Current;
        }
    }

    private static HealthStreamConnectionReplacedException Replaced(Tablet tablet, string address, Exception cause) =>
        new($"tablet {AliasOf(tablet)} ({address}): the health stream's connection was replaced by a new one "
            + "(a probe on a new connection)", cause);

    private static string AliasOf(Tablet tablet) => tablet.Alias is { } alias ? alias.ToText() : "(no alias)";

    private TabletChannel CreateChannel(string address)
    {
        var channel = RpcChannels.Create((_options.UseTls ? "https://" : "http://") + address, _options.ChannelOptions);
        return new TabletChannel(channel, new TabletManagerClient(channel));
    }

    /// <summary>
    /// Only failures of the connection itself (grpc-dotnet reports them with the transport exception as the status's
    /// debug exception); a status the tablet sent, even UNAVAILABLE, leaves a healthy connection in place.
    /// </summary>
    private static bool IsConnectionFailure(RpcException e) =>
        e.Status.DebugException is HttpRequestException or IOException
        || (e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is not null);

    private void Evict(string address, Lazy<TabletChannel> channel)
    {
        if (_channels.TryRemove(new KeyValuePair<string, Lazy<TabletChannel>>(address, channel)) && channel.IsValueCreated)
        {
            channel.Value.Channel.Dispose();
        }
    }

    private static long Nanoseconds(TimeSpan span) => span.Ticks * 100;

    private sealed record TabletChannel(GrpcChannel Channel, TabletManagerClient Client);
}
