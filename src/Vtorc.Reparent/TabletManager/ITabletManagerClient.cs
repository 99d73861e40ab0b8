using Replicationdata;
using Topodata;

namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// The TabletManager RPCs VTOrc, ERS and PRS call (docs/wire-format.md, "TabletManager RPCs"), one method each. Every
/// call is bounded: by <c>timeout</c> when given, otherwise by the client's default (Vitess
/// <c>--remote-operation-timeout</c>). Failures are <see cref="Grpc.Core.RpcException"/>s whose message names the
/// tablet and the RPC; a tablet's own error text (e.g. "no replication status (errno 100) …", see
/// <see cref="TabletManagerErrors.IsNotReplicaError"/>) is kept.
/// </summary>
public interface ITabletManagerClient
{
    /// <returns>The payload the tablet echoed.</returns>
    Task<string> PingAsync(Tablet tablet, string payload, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task<FullStatus> FullStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <summary>
    /// Drops the connection to the tablet so that the next call opens a new one (calls still running on the old one
    /// fail). For a connection that a network partition may have left stuck in TCP retransmission after it healed.
    /// </summary>
    void ResetConnection(Tablet tablet)
    {
    }

    Task<Status> ReplicationStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task<PrimaryStatus> PrimaryStatusAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <returns>The executed position with its flavor prefix.</returns>
    Task<string> PrimaryPositionAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <param name="position">With its flavor prefix (docs/wire-format.md, "Replication positions").</param>
    Task WaitForPositionAsync(Tablet tablet, string position, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task StopReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task StartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task RestartReplicationAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task<StopReplicationStatus> StopReplicationAndGetStatusAsync(Tablet tablet, StopReplicationMode mode, CancellationToken cancellationToken,
        TimeSpan? timeout = null);

    /// <param name="heartbeatInterval">Seconds; 0 leaves the tablet's default.</param>
    Task SetReplicationSourceAsync(Tablet tablet, TabletAlias parent, long timeCreatedNs, string waitPosition, bool forceStartReplication,
        bool semiSync, double heartbeatInterval, CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <returns>The new primary's position.</returns>
    Task<string> PromoteReplicaAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <returns>The new primary's position.</returns>
    Task<string> InitPrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <returns>The demoted primary's status (its position at demotion).</returns>
    Task<PrimaryStatus> DemotePrimaryAsync(Tablet tablet, bool force, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task UndoDemotePrimaryAsync(Tablet tablet, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task SetReadOnlyAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task SetReadWriteAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task ChangeTypeAsync(Tablet tablet, TabletType tabletType, bool semiSync, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task RefreshStateAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task ResetReplicationParametersAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task PopulateReparentJournalAsync(Tablet tablet, long timeCreatedNs, string actionName, TabletAlias primaryAlias, string replicationPosition,
        CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <returns>The number of rows in the tablet's reparent journal.</returns>
    Task<int> ReadReparentJournalInfoAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task<IReadOnlyDictionary<string, string>> GetGlobalStatusVarsAsync(Tablet tablet, IReadOnlyList<string> variables,
        CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task InitReplicaAsync(Tablet tablet, TabletAlias parent, string replicationPosition, long timeCreatedNs, bool semiSync,
        CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task ResetReplicationAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task ReplicaWasPromotedAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task ReplicaWasRestartedAsync(Tablet tablet, TabletAlias parent, CancellationToken cancellationToken, TimeSpan? timeout = null);

    /// <returns>The position replication stopped at.</returns>
    Task<string> StopReplicationMinimumAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null);

    Task StartReplicationUntilAfterAsync(Tablet tablet, string position, TimeSpan waitTimeout, CancellationToken cancellationToken,
        TimeSpan? timeout = null);

    /// <returns>The replicas' addresses as the tablet sees them.</returns>
    Task<IReadOnlyList<string>> GetReplicasAsync(Tablet tablet, CancellationToken cancellationToken, TimeSpan? timeout = null);
}
