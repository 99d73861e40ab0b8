using System.Collections.Concurrent;
using Replicationdata;
using Topodata;
using Grpc.Core;
using Status = Replicationdata.Status;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>One FullStatus call the fake received; <see cref="Sequence"/> orders calls and other recorded events.</summary>
public sealed record FakeFullStatusCall(long Sequence, string Alias);

/// <summary>
/// An in-process stand-in for the tablets that only answers FullStatus (scripted per alias: an answer, a failure
/// like an unreachable tablet's, or a call held open until the test releases it). Every other RPC throws
/// <see cref="NotImplementedException"/>: discovery must not call them.
/// </summary>
public sealed class FakeTabletManager : ITabletManagerClient
{
    private readonly ConcurrentQueue<FakeFullStatusCall> _calls = new();
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task<FullStatus>>> _answers = new(StringComparer.Ordinal);
    private long _sequence;

    public IReadOnlyList<FakeFullStatusCall> Calls => _calls.ToArray();

    public IReadOnlyList<FakeFullStatusCall> CallsTo(string alias) => Calls.Where(c => c.Alias == alias).ToArray();

    /// <summary>A sequence number for something the test observed, ordered with the calls.</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>Raised when a FullStatus call arrives (before it is answered).</summary>
    public event Action<FakeFullStatusCall>? CallReceived;

    public void Answers(string alias, FullStatus status) => _answers[alias] = _ => Task.FromResult(status);

    public void Unreachable(string alias) => _answers[alias] = _ =>
        Task.FromException<FullStatus>(TabletRpcErrors.Create(StatusCode.Unavailable, $"tablet {alias} (fake) FullStatus: connection refused",
            GrpcTabletManagerClient.ServicePath + "FullStatus"));

    /// <summary>The call waits until <paramref name="release"/> completes (or the caller cancels), then answers what it gives.</summary>
    public void HoldsUntil(string alias, Task<FullStatus> release) => _answers[alias] = ct => release.WaitAsync(ct);

    public async Task<FullStatus> FullStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var call = new FakeFullStatusCall(NextSequence(), tablet.Alias.ToText());
        _calls.Enqueue(call);
        CallReceived?.Invoke(call);
        await Task.Yield();
        if (!_answers.TryGetValue(call.Alias, out var answer))
        {
            throw TabletRpcErrors.Create(StatusCode.Unavailable, $"tablet {call.Alias} (fake) FullStatus: no answer scripted",
                GrpcTabletManagerClient.ServicePath + "FullStatus");
        }
        return await answer(cancellationToken);
    }

    public Task<string> PingAsync(Tablet tablet, string payload, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("Ping is not faked: discovery only calls FullStatus");

    public Task<Status> ReplicationStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("ReplicationStatus is not faked: discovery only calls FullStatus");

    public Task<PrimaryStatus> PrimaryStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("PrimaryStatus is not faked: discovery only calls FullStatus");

    public Task<string> PrimaryPositionAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("PrimaryPosition is not faked: discovery only calls FullStatus");

    public Task WaitForPositionAsync(Tablet tablet, string position, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("WaitForPosition is not faked: discovery only calls FullStatus");

    public Task StopReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("StopReplication is not faked: discovery only calls FullStatus");

    public Task StartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("StartReplication is not faked: discovery only calls FullStatus");

    public Task RestartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("RestartReplication is not faked: discovery only calls FullStatus");

    public Task<StopReplicationStatus> StopReplicationAndGetStatusAsync(Tablet tablet, StopReplicationMode mode, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("StopReplicationAndGetStatus is not faked: discovery only calls FullStatus");

    public Task SetReplicationSourceAsync(Tablet tablet, TabletAlias parent, long timeCreatedNs, string waitPosition, bool forceStartReplication, bool semiSync, double heartbeatInterval, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("SetReplicationSource is not faked: discovery only calls FullStatus");

    public Task<string> PromoteReplicaAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("PromoteReplica is not faked: discovery only calls FullStatus");

    public Task<string> InitPrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("InitPrimary is not faked: discovery only calls FullStatus");

    public Task<PrimaryStatus> DemotePrimaryAsync(Tablet tablet, bool force, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("DemotePrimary is not faked: discovery only calls FullStatus");

    public Task UndoDemotePrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("UndoDemotePrimary is not faked: discovery only calls FullStatus");

    public Task SetReadOnlyAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("SetReadOnly is not faked: discovery only calls FullStatus");

    public Task SetReadWriteAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("SetReadWrite is not faked: discovery only calls FullStatus");

    public Task ChangeTypeAsync(Tablet tablet, TabletType tabletType, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("ChangeType is not faked: discovery only calls FullStatus");

    public Task RefreshStateAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("RefreshState is not faked: discovery only calls FullStatus");

    public Task ResetReplicationParametersAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("ResetReplicationParameters is not faked: discovery only calls FullStatus");

    public Task PopulateReparentJournalAsync(Tablet tablet, long timeCreatedNs, string actionName, TabletAlias primaryAlias, string replicationPosition, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("PopulateReparentJournal is not faked: discovery only calls FullStatus");

    public Task<int> ReadReparentJournalInfoAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("ReadReparentJournalInfo is not faked: discovery only calls FullStatus");

    public Task<IReadOnlyDictionary<string, string>> GetGlobalStatusVarsAsync(Tablet tablet, IReadOnlyList<string> variables, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("GetGlobalStatusVars is not faked: discovery only calls FullStatus");

    public Task InitReplicaAsync(Tablet tablet, TabletAlias parent, string replicationPosition, long timeCreatedNs, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("InitReplica is not faked: discovery only calls FullStatus");

    public Task ResetReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("ResetReplication is not faked: discovery only calls FullStatus");

    public Task ReplicaWasPromotedAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("ReplicaWasPromoted is not faked: discovery only calls FullStatus");

    public Task ReplicaWasRestartedAsync(Tablet tablet, TabletAlias parent, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("ReplicaWasRestarted is not faked: discovery only calls FullStatus");

    public Task<string> StopReplicationMinimumAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("StopReplicationMinimum is not faked: discovery only calls FullStatus");

    public Task StartReplicationUntilAfterAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("StartReplicationUntilAfter is not faked: discovery only calls FullStatus");

    public Task<IReadOnlyList<string>> GetReplicasAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        throw new NotImplementedException("GetReplicas is not faked: discovery only calls FullStatus");
}
