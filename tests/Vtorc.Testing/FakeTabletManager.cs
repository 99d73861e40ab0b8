using System.Collections.Concurrent;
using System.Globalization;
using Replicationdata;
using Topodata;
using Grpc.Core;
using Status = Replicationdata.Status;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Testing;

/// <summary>One RPC the fake received, with its arguments as text (e.g. "parent=zone1-0000000101 force=True").</summary>
public sealed record FakeCall(int Sequence, string Alias, string Rpc, string Args)
{
    public override string ToString() => Args.Length == 0 ? $"{Rpc} {Alias}" : $"{Rpc} {Alias} {Args}";
}

/// <summary>
/// A scripted, in-process stand-in for the tablets: records every call in order and answers from per-tablet,
/// per-RPC handlers. Unscripted calls succeed with an empty answer (or fail, see <see cref="UnscriptedCallsFail"/>). Failures look like the real client's
/// (<see cref="RpcException"/> naming the tablet and RPC); a hanging call ends at its deadline with
/// DEADLINE_EXCEEDED, or CANCELLED when the caller cancels.
/// </summary>
public sealed class FakeTabletManager : ITabletManagerClient
{
    private readonly ConcurrentQueue<FakeCall> _calls = new();
    private readonly ConcurrentDictionary<(string Alias, string Rpc), Func<FakeCall, CancellationToken, TimeSpan, Task<object?>>> _handlers = new();
    private int _sequence;

    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// An unscripted call fails as an unreachable tablet's would ("no answer scripted") instead of succeeding with an
    /// empty answer: for code that must only call what the test scripted, e.g. discovery (only FullStatus).
    /// </summary>
    public bool UnscriptedCallsFail { get; init; }

    /// <summary>Raised when a call arrives, before it is answered.</summary>
    public event Action<FakeCall>? CallReceived;

    public IReadOnlyList<FakeCall> Calls => _calls.ToArray();

    public IReadOnlyList<FakeCall> CallsTo(string rpc) => Calls.Where(c => c.Rpc == rpc).ToArray();

    public IReadOnlyList<FakeCall> CallsTo(string rpc, string alias) => Calls.Where(c => c.Rpc == rpc && c.Alias == alias).ToArray();

    /// <summary>The next sequence number, for something the test observed, ordered with the calls.</summary>
    public int NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>The sequence number of the first call of <paramref name="rpc"/> on <paramref name="alias"/>; fails the test when absent.</summary>
    public int IndexOf(string rpc, string alias) =>
        Calls.FirstOrDefault(c => c.Rpc == rpc && c.Alias == alias)?.Sequence
        ?? throw new Xunit.Sdk.XunitException($"no {rpc} call on {alias}; calls: {string.Join(" | ", Calls)}");

    public void Returns(string alias, string rpc, object? response) =>
        _handlers[(alias, rpc)] = (_, _, _) => Task.FromResult(response);

    public void Fails(string alias, string rpc, StatusCode status, string detail) =>
        _handlers[(alias, rpc)] = (call, _, _) => throw Error(call, status, detail);

    /// <summary>Every RPC to the tablet fails as an unreachable tablet's would.</summary>
    public void Unreachable(string alias)
    {
        foreach (var rpc in typeof(ITabletManagerClient).GetMethods().Select(m => m.Name[..^"Async".Length]))
        {
            Fails(alias, rpc, StatusCode.Unavailable, "connection refused");
        }
    }

    /// <summary>The call waits until its deadline or the caller's cancellation.</summary>
    public void Hangs(string alias, string rpc) =>
        _handlers[(alias, rpc)] = async (call, ct, timeout) =>
        {
            try
            {
                await Task.Delay(timeout, ct);
            }
            catch (OperationCanceledException)
            {
                throw Error(call, StatusCode.Cancelled, "call cancelled by the client");
            }
            throw Error(call, StatusCode.DeadlineExceeded, "deadline exceeded");
        };

    /// <summary>StopReplicationAndGetStatus answers "not a replica" (errno 100), as a primary's tablet does.</summary>
    public void NotAReplica(string alias) =>
        Fails(alias, "StopReplicationAndGetStatus", StatusCode.Unknown, "before status failed: " + TabletManagerErrors.NotReplicaText);

    /// <summary>StopReplicationAndGetStatus answers a running replica stopped at <paramref name="position"/> (relay log = position).</summary>
    public void StoppedAt(string alias, string position, string sourceUuid = "")
    {
        var before = new Status { Position = position, RelayLogPosition = position, IoState = 3, SqlState = 3, SourceUuid = sourceUuid };
        var after = new Status { Position = position, RelayLogPosition = position, IoState = 1, SqlState = 3, SourceUuid = sourceUuid };
        Returns(alias, "StopReplicationAndGetStatus", new StopReplicationStatus { Before = before, After = after });
    }

    public void On(string alias, string rpc, Func<FakeCall, CancellationToken, Task<object?>> handler) =>
        _handlers[(alias, rpc)] = (call, ct, _) => handler(call, ct);

    /// <summary>The call waits until <paramref name="release"/> completes (or the caller cancels), then answers what it gives or throws what it throws.</summary>
    public void HoldsUntil<T>(string alias, string rpc, Task<T> release) =>
        _handlers[(alias, rpc)] = async (_, ct, _) => await release.WaitAsync(ct);

    private async Task<T> InvokeAsync<T>(Tablet tablet, string rpc, string args, CancellationToken ct, TimeSpan? timeout, T fallback)
    {
        string alias = tablet.Alias.ToText();
        var call = new FakeCall(NextSequence(), alias, rpc, args);
        _calls.Enqueue(call);
        CallReceived?.Invoke(call);
        await Task.Yield();
        if (ct.IsCancellationRequested)
        {
            throw Error(call, StatusCode.Cancelled, "call cancelled by the client");
        }
        if (!_handlers.TryGetValue((alias, rpc), out var handler))
        {
            return UnscriptedCallsFail ? throw Error(call, StatusCode.Unavailable, "no answer scripted") : fallback;
        }
        var answer = await handler(call, ct, timeout ?? DefaultTimeout);
        return answer is null ? fallback : (T)answer;
    }

    private static RpcException Error(FakeCall call, StatusCode status, string detail) =>
        TabletRpcErrors.Create(status, $"tablet {call.Alias} (fake) {call.Rpc}: {detail}", GrpcTabletManagerClient.ServicePath + call.Rpc);

    private static string B(bool value) => value ? "True" : "False";

    public Task<string> PingAsync(Tablet tablet, string payload, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "Ping", payload, cancellationToken, timeout, payload);

    public Task<FullStatus> FullStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "FullStatus", "", cancellationToken, timeout, new FullStatus());

    public Task<Status> ReplicationStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "ReplicationStatus", "", cancellationToken, timeout, new Status());

    public Task<PrimaryStatus> PrimaryStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "PrimaryStatus", "", cancellationToken, timeout, new PrimaryStatus());

    public Task<string> PrimaryPositionAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "PrimaryPosition", "", cancellationToken, timeout, "");

    public Task WaitForPositionAsync(Tablet tablet, string position, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "WaitForPosition", $"position={position}", cancellationToken, timeout, true);

    public Task StopReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "StopReplication", "", cancellationToken, timeout, true);

    public Task StartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "StartReplication", $"semiSync={B(semiSync)}", cancellationToken, timeout, true);

    public Task RestartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "RestartReplication", $"semiSync={B(semiSync)}", cancellationToken, timeout, true);

    public Task<StopReplicationStatus> StopReplicationAndGetStatusAsync(Tablet tablet, StopReplicationMode mode, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "StopReplicationAndGetStatus", $"mode={mode}", cancellationToken, timeout, new StopReplicationStatus());

    public Task SetReplicationSourceAsync(Tablet tablet, TabletAlias parent, long timeCreatedNs, string waitPosition, bool forceStartReplication,
        bool semiSync, double heartbeatInterval, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "SetReplicationSource",
            string.Create(CultureInfo.InvariantCulture,
                $"parent={parent.ToText()} timeCreatedNs={timeCreatedNs} wait={waitPosition} force={B(forceStartReplication)} semiSync={B(semiSync)} heartbeat={heartbeatInterval}"),
            cancellationToken, timeout, true);

    public Task<string> PromoteReplicaAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "PromoteReplica", $"semiSync={B(semiSync)}", cancellationToken, timeout, "");

    public Task<string> InitPrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "InitPrimary", $"semiSync={B(semiSync)}", cancellationToken, timeout, "");

    public Task<PrimaryStatus> DemotePrimaryAsync(Tablet tablet, bool force, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "DemotePrimary", $"force={B(force)}", cancellationToken, timeout, new PrimaryStatus());

    public Task UndoDemotePrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "UndoDemotePrimary", $"semiSync={B(semiSync)}", cancellationToken, timeout, true);

    public Task SetReadOnlyAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "SetReadOnly", "", cancellationToken, timeout, true);

    public Task SetReadWriteAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "SetReadWrite", "", cancellationToken, timeout, true);

    public Task ChangeTypeAsync(Tablet tablet, TabletType tabletType, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "ChangeType", $"type={tabletType} semiSync={B(semiSync)}", cancellationToken, timeout, true);

    public Task RefreshStateAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "RefreshState", "", cancellationToken, timeout, true);

    public Task ResetReplicationParametersAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "ResetReplicationParameters", "", cancellationToken, timeout, true);

    public Task PopulateReparentJournalAsync(Tablet tablet, long timeCreatedNs, string actionName, TabletAlias primaryAlias, string replicationPosition,
        CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "PopulateReparentJournal",
            string.Create(CultureInfo.InvariantCulture, $"timeCreatedNs={timeCreatedNs} action={actionName} primary={primaryAlias.ToText()} position={replicationPosition}"),
            cancellationToken, timeout, true);

    public Task<int> ReadReparentJournalInfoAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "ReadReparentJournalInfo", "", cancellationToken, timeout, 0);

    public Task<IReadOnlyDictionary<string, string>> GetGlobalStatusVarsAsync(Tablet tablet, IReadOnlyList<string> variables,
        CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync<IReadOnlyDictionary<string, string>>(tablet, "GetGlobalStatusVars", string.Join(",", variables), cancellationToken, timeout,
            new Dictionary<string, string>());

    public Task InitReplicaAsync(Tablet tablet, TabletAlias parent, string replicationPosition, long timeCreatedNs, bool semiSync,
        CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "InitReplica", $"parent={parent.ToText()} position={replicationPosition}", cancellationToken, timeout, true);

    public Task ResetReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "ResetReplication", "", cancellationToken, timeout, true);

    public Task ReplicaWasPromotedAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "ReplicaWasPromoted", "", cancellationToken, timeout, true);

    public Task ReplicaWasRestartedAsync(Tablet tablet, TabletAlias parent, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "ReplicaWasRestarted", $"parent={parent.ToText()}", cancellationToken, timeout, true);

    public Task<string> StopReplicationMinimumAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "StopReplicationMinimum", $"position={position}", cancellationToken, timeout, position);

    public Task StartReplicationUntilAfterAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        InvokeAsync(tablet, "StartReplicationUntilAfter", $"position={position}", cancellationToken, timeout, true);

    public Task<IReadOnlyList<string>> GetReplicasAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        InvokeAsync<IReadOnlyList<string>>(tablet, "GetReplicas", "", cancellationToken, timeout, []);
}
