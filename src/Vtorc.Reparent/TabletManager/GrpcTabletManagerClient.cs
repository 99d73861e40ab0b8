using System.Collections.Concurrent;
using Google.Protobuf;
using Replicationdata;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Protocol.Grpc;
using Vtorc.Topo;

namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// <see cref="ITabletManagerClient"/> over our gRPC layer. One channel (one HTTP/2 connection) per tablet address is
/// kept and reused; a channel whose connection failed is dropped so the next call dials afresh. Thread-safe.
/// </summary>
public sealed class GrpcTabletManagerClient : ITabletManagerClient, IDisposable
{
    public const string ServicePath = "/tabletmanagerservice.TabletManager/";

    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);
    private readonly TabletManagerClientOptions _options;
    private bool _disposed;

    public GrpcTabletManagerClient(TabletManagerClientOptions? options = null)
    {
        _options = options ?? new TabletManagerClientOptions();
        if (_options.DefaultTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the default tablet call timeout must be positive, got {_options.DefaultTimeout}", nameof(options));
        }
    }

    public TimeSpan DefaultTimeout => _options.DefaultTimeout;

    /// <summary>Addresses with an open channel (for tests and status pages).</summary>
    public IReadOnlyCollection<string> CachedAddresses => _channels.Keys.ToArray();

    public async Task<string> PingAsync(Tablet tablet, string payload, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var response = await CallAsync<PingRequest, PingResponse>(tablet, "Ping", new PingRequest { Payload = payload }, timeout, cancellationToken)
            .ConfigureAwait(false);
        return response.Payload;
    }

    public async Task<FullStatus> FullStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<FullStatusRequest, FullStatusResponse>(tablet, "FullStatus", new(), timeout, cancellationToken).ConfigureAwait(false)).Status
        ?? new FullStatus();

    public async Task<Status> ReplicationStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<ReplicationStatusRequest, ReplicationStatusResponse>(tablet, "ReplicationStatus", new(), timeout, cancellationToken)
            .ConfigureAwait(false)).Status ?? new Status();

    public async Task<PrimaryStatus> PrimaryStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<PrimaryStatusRequest, PrimaryStatusResponse>(tablet, "PrimaryStatus", new(), timeout, cancellationToken)
            .ConfigureAwait(false)).Status ?? new PrimaryStatus();

    public async Task<string> PrimaryPositionAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<PrimaryPositionRequest, PrimaryPositionResponse>(tablet, "PrimaryPosition", new(), timeout, cancellationToken)
            .ConfigureAwait(false)).Position;

    public Task WaitForPositionAsync(Tablet tablet, string position, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<WaitForPositionRequest, WaitForPositionResponse>(tablet, "WaitForPosition", new WaitForPositionRequest { Position = position },
            timeout, cancellationToken);

    public Task StopReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<StopReplicationRequest, StopReplicationResponse>(tablet, "StopReplication", new(), timeout, cancellationToken);

    public Task StartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<StartReplicationRequest, StartReplicationResponse>(tablet, "StartReplication", new StartReplicationRequest { SemiSync = semiSync },
            timeout, cancellationToken);

    public Task RestartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<RestartReplicationRequest, RestartReplicationResponse>(tablet, "RestartReplication",
            new RestartReplicationRequest { SemiSync = semiSync }, timeout, cancellationToken);

    public async Task<StopReplicationStatus> StopReplicationAndGetStatusAsync(Tablet tablet, StopReplicationMode mode,
        CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<StopReplicationAndGetStatusRequest, StopReplicationAndGetStatusResponse>(tablet, "StopReplicationAndGetStatus",
            new StopReplicationAndGetStatusRequest { StopReplicationMode = mode }, timeout, cancellationToken).ConfigureAwait(false)).Status
        ?? new StopReplicationStatus();

    public Task SetReplicationSourceAsync(Tablet tablet, TabletAlias parent, long timeCreatedNs, string waitPosition, bool forceStartReplication,
        bool semiSync, double heartbeatInterval, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return CallAsync<SetReplicationSourceRequest, SetReplicationSourceResponse>(tablet, "SetReplicationSource", new SetReplicationSourceRequest
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
        (await CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>(tablet, "PromoteReplica", new PromoteReplicaRequest { SemiSync = semiSync },
            timeout, cancellationToken).ConfigureAwait(false)).Position;

    public async Task<string> InitPrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<InitPrimaryRequest, InitPrimaryResponse>(tablet, "InitPrimary", new InitPrimaryRequest { SemiSync = semiSync },
            timeout, cancellationToken).ConfigureAwait(false)).Position;

    public async Task<PrimaryStatus> DemotePrimaryAsync(Tablet tablet, bool force, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<DemotePrimaryRequest, DemotePrimaryResponse>(tablet, "DemotePrimary", new DemotePrimaryRequest { Force = force },
            timeout, cancellationToken).ConfigureAwait(false)).PrimaryStatus ?? new PrimaryStatus();

    public Task UndoDemotePrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<UndoDemotePrimaryRequest, UndoDemotePrimaryResponse>(tablet, "UndoDemotePrimary", new UndoDemotePrimaryRequest { SemiSync = semiSync },
            timeout, cancellationToken);

    public Task SetReadOnlyAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<SetReadOnlyRequest, SetReadOnlyResponse>(tablet, "SetReadOnly", new(), timeout, cancellationToken);

    public Task SetReadWriteAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<SetReadWriteRequest, SetReadWriteResponse>(tablet, "SetReadWrite", new(), timeout, cancellationToken);

    public Task ChangeTypeAsync(Tablet tablet, TabletType tabletType, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ChangeTypeRequest, ChangeTypeResponse>(tablet, "ChangeType", new ChangeTypeRequest { TabletType = tabletType, SemiSync = semiSync },
            timeout, cancellationToken);

    public Task RefreshStateAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<RefreshStateRequest, RefreshStateResponse>(tablet, "RefreshState", new(), timeout, cancellationToken);

    public Task ResetReplicationParametersAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ResetReplicationParametersRequest, ResetReplicationParametersResponse>(tablet, "ResetReplicationParameters", new(), timeout,
            cancellationToken);

    public Task PopulateReparentJournalAsync(Tablet tablet, long timeCreatedNs, string actionName, TabletAlias primaryAlias,
        string replicationPosition, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(primaryAlias);
        return CallAsync<PopulateReparentJournalRequest, PopulateReparentJournalResponse>(tablet, "PopulateReparentJournal",
            new PopulateReparentJournalRequest
            {
                TimeCreatedNs = timeCreatedNs,
                ActionName = actionName ?? "",
                PrimaryAlias = primaryAlias,
                ReplicationPosition = replicationPosition ?? "",
            }, timeout, cancellationToken);
    }

    public async Task<int> ReadReparentJournalInfoAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<ReadReparentJournalInfoRequest, ReadReparentJournalInfoResponse>(tablet, "ReadReparentJournalInfo", new(), timeout,
            cancellationToken).ConfigureAwait(false)).Length;

    public async Task<IReadOnlyDictionary<string, string>> GetGlobalStatusVarsAsync(Tablet tablet, IReadOnlyList<string> variables,
        CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var request = new GetGlobalStatusVarsRequest();
        request.Variables.AddRange(variables);
        var response = await CallAsync<GetGlobalStatusVarsRequest, GetGlobalStatusVarsResponse>(tablet, "GetGlobalStatusVars", request, timeout,
            cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, string>(response.StatusValues, StringComparer.Ordinal);
    }

    public Task InitReplicaAsync(Tablet tablet, TabletAlias parent, string replicationPosition, long timeCreatedNs, bool semiSync,
        CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return CallAsync<InitReplicaRequest, InitReplicaResponse>(tablet, "InitReplica", new InitReplicaRequest
        {
            Parent = parent,
            ReplicationPosition = replicationPosition ?? "",
            TimeCreatedNs = timeCreatedNs,
            SemiSync = semiSync,
        }, timeout, cancellationToken);
    }

    public Task ResetReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ResetReplicationRequest, ResetReplicationResponse>(tablet, "ResetReplication", new(), timeout, cancellationToken);

    public Task ReplicaWasPromotedAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync<ReplicaWasPromotedRequest, ReplicaWasPromotedResponse>(tablet, "ReplicaWasPromoted", new(), timeout, cancellationToken);

    public Task ReplicaWasRestartedAsync(Tablet tablet, TabletAlias parent, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return CallAsync<ReplicaWasRestartedRequest, ReplicaWasRestartedResponse>(tablet, "ReplicaWasRestarted",
            new ReplicaWasRestartedRequest { Parent = parent }, timeout, cancellationToken);
    }

    public async Task<string> StopReplicationMinimumAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        (await CallAsync<StopReplicationMinimumRequest, StopReplicationMinimumResponse>(tablet, "StopReplicationMinimum",
            new StopReplicationMinimumRequest { Position = position ?? "", WaitTimeout = Nanoseconds(waitTimeout) }, timeout, cancellationToken)
            .ConfigureAwait(false)).Position;

    public Task StartReplicationUntilAfterAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        CallAsync<StartReplicationUntilAfterRequest, StartReplicationUntilAfterResponse>(tablet, "StartReplicationUntilAfter",
            new StartReplicationUntilAfterRequest { Position = position ?? "", WaitTimeout = Nanoseconds(waitTimeout) }, timeout, cancellationToken);

    public async Task<IReadOnlyList<string>> GetReplicasAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        (await CallAsync<GetReplicasRequest, GetReplicasResponse>(tablet, "GetReplicas", new(), timeout, cancellationToken).ConfigureAwait(false))
        .Addrs.ToArray();

    public void ResetConnection(Tablet tablet)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        var address = TabletAddress.Of(tablet);
        if (_channels.TryGetValue(address, out var channel))
        {
            Evict(address, channel);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var address in _channels.Keys)
        {
            if (_channels.TryRemove(address, out var channel))
            {
                channel.Dispose();
            }
        }
    }

    private async Task<TResponse> CallAsync<TRequest, TResponse>(Tablet tablet, string rpc, TRequest request, TimeSpan? timeout,
        CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(tablet);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string method = ServicePath + rpc;
        string address = TabletAddress.Of(tablet, method);
        var channel = _channels.GetOrAdd(address, CreateChannel);
        var deadline = timeout ?? _options.DefaultTimeout;
        try
        {
            return await channel.UnaryAsync<TRequest, TResponse>(method, request, new CallOptions(deadline, cancellationToken, _options.Headers))
                .ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            if (IsConnectionFailure(e))
            {
                Evict(address, channel);
            }
            string alias = tablet.Alias is { } a ? a.ToText() : "(no alias)";
            // The method is already in the message ("RPC <method> failed: …") and the agent names its RPC in the detail.
            throw new RpcException(e.Status, $"tablet {alias} ({address}): {e.Detail}", method, e);
        }
    }

    private GrpcChannel CreateChannel(string address) =>
        GrpcChannel.Create((_options.UseTls ? "https://" : "http://") + address, _options.ChannelOptions);

    /// <summary>
    /// Only failures of the connection itself (the gRPC layer reports them with the transport exception inside);
    /// a status the tablet sent, even UNAVAILABLE, leaves a healthy connection in place.
    /// </summary>
    private static bool IsConnectionFailure(RpcException e) =>
        e.InnerException is HttpRequestException or IOException
        || (e.Status == StatusCode.Unavailable && e.InnerException is not null);

    private void Evict(string address, GrpcChannel channel)
    {
        if (_channels.TryRemove(new KeyValuePair<string, GrpcChannel>(address, channel)))
        {
            channel.Dispose();
        }
    }

    private static long Nanoseconds(TimeSpan span) => span.Ticks * 100;
}
