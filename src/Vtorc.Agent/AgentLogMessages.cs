using Grpc.Core;
using Microsoft.Extensions.Logging;
using Vtorc.Agent.Manager;
using Vtorc.Agent.MySql;
using Vtorc.Protocol.Tablets;

namespace Vtorc.Agent;

/// <summary>
/// The tablet agent's log events (5000s): start and stop (5000s), TabletManager RPCs that fence, demote or promote
/// (5100s), shard sync and self-fencing (5200s), the semi-sync monitor (5300s), the tablet record (5400s), the
/// restart guard (5500s), mysqld and replication health (5600s), disk health (5700s), the shard-peer monitor
/// (5800s).
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class AgentLogMessages
{
    [LoggerMessage(EventId = 5000, EventName = nameof(MySqldIdentified), Level = LogLevel.Information, Message = "tablet {Alias}: mysqld at {Endpoint} is {Server} (flavor {Flavor})")]
    internal static partial void MySqldIdentified(this ILogger logger, string alias, string endpoint, MySqlFlavor server, string flavor);

    [LoggerMessage(EventId = 5001, EventName = nameof(ReplicaNetTimeoutSet), Level = LogLevel.Information, Message = "tablet {Alias}: replica net timeout set to {Seconds} s")]
    internal static partial void ReplicaNetTimeoutSet(this ILogger logger, string alias, int seconds);

    [LoggerMessage(EventId = 5002, EventName = nameof(MySqldPidFileFound), Level = LogLevel.Information, Message = "tablet {Alias}: mysqld's pid file is {PidFile}{Local}")]
    internal static partial void MySqldPidFileFound(this ILogger logger, string alias, string pidFile, string local);

    [LoggerMessage(EventId = 5003, EventName = nameof(MySqldPidFileUnknown), Level = LogLevel.Warning, Message = "tablet {Alias}: cannot read mysqld's pid file path ({Error}); a fence cannot kill a mysqld that stops answering")]
    internal static partial void MySqldPidFileUnknown(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5004, EventName = nameof(MySqldReadOnlyAtStart), Level = LogLevel.Information, Message = "tablet {Alias}: mysqld made read-only at start ({Reason})")]
    internal static partial void MySqldReadOnlyAtStart(this ILogger logger, string alias, string reason);

    [LoggerMessage(EventId = 5005, EventName = nameof(MySqldKilledAtStart), Level = LogLevel.Warning, Message = "tablet {Alias}: mysqld killed at start to drop commits waiting for a semi-sync acknowledgement ({Reason}); the agent serves on, and its restart guard makes the restarted mysqld read-only")]
    internal static partial void MySqldKilledAtStart(this ILogger logger, string alias, string reason);

    [LoggerMessage(EventId = 5006, EventName = nameof(AgentServing), Level = LogLevel.Information, Message = "tablet {Alias} serving TabletManager and StreamHealth on {Address} as {Type}")]
    internal static partial void AgentServing(this ILogger logger, string alias, string address, string type);

    [LoggerMessage(EventId = 5007, EventName = nameof(ShutdownNotRecorded), Level = LogLevel.Warning, Message = "tablet {Alias}: could not record the shutdown in the topology: {Error}")]
    internal static partial void ShutdownNotRecorded(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5008, EventName = nameof(AgentStopped), Level = LogLevel.Information, Message = "tablet {Alias} stopped")]
    internal static partial void AgentStopped(this ILogger logger, string alias);

    [LoggerMessage(EventId = 5009, EventName = nameof(ShardRecordUnreadableAtStart), Level = LogLevel.Warning, Message = "tablet {Alias}: cannot read the shard record ({Error}); treating this tablet as not the primary")]
    internal static partial void ShardRecordUnreadableAtStart(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5010, EventName = nameof(WaitingForMySqld), Level = LogLevel.Information, Message = "waiting for mysqld at {Endpoint}: {Error}")]
    internal static partial void WaitingForMySqld(this ILogger logger, string endpoint, string error);

    [LoggerMessage(EventId = 5011, EventName = nameof(KeyspaceCreated), Level = LogLevel.Information, Message = "keyspace {Keyspace} created with durability policy none")]
    internal static partial void KeyspaceCreated(this ILogger logger, string keyspace);

    [LoggerMessage(EventId = 5012, EventName = nameof(ShardCreated), Level = LogLevel.Information, Message = "shard {Keyspace}/{Shard} created")]
    internal static partial void ShardCreated(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 5100, EventName = nameof(PromotionFailedFencedAgain), Level = LogLevel.Warning, Message = "{Alias} {Rpc}: the promotion failed ({Error}); mysqld fenced again ({Fence})")]
    internal static partial void PromotionFailedFencedAgain(this ILogger logger, string alias, string rpc, string error, ImmediateFence fence);

    [LoggerMessage(EventId = 5101, EventName = nameof(PromotionFailedNotFenced), Level = LogLevel.Error, Message = "{Alias} {Rpc}: the promotion failed ({Error}) and mysqld could not be made read-only again: {RevertError}")]
    internal static partial void PromotionFailedNotFenced(this ILogger logger, string alias, string rpc, string error, string revertError);

    [LoggerMessage(EventId = 5102, EventName = nameof(SemiSyncWaitersNotKillable), Level = LogLevel.Warning, Message = "{Alias} {Rpc}: cannot kill mysqld to drop {Count} commit(s) waiting for a semi-sync acknowledgement ({Error}); killing their connections instead, so this server keeps them and may diverge from its shard")]
    internal static partial void SemiSyncWaitersNotKillable(this ILogger logger, string alias, string rpc, int count, string error);

    [LoggerMessage(EventId = 5103, EventName = nameof(MySqldNotKillable), Level = LogLevel.Warning, Message = "{Alias} {Rpc}: mysqld did not answer for {Bound} ms and cannot be killed to fence it ({Error})")]
    internal static partial void MySqldNotKillable(this ILogger logger, string alias, string rpc, double bound, string error);

    [LoggerMessage(EventId = 5104, EventName = nameof(ReadOnlyHeldUpClientsKilled), Level = LogLevel.Warning, Message = "{Alias} {Rpc}: read_only held up for {Seconds} s (attempt {Attempt}); killed {Count} client connection(s): {Killed}")]
    internal static partial void ReadOnlyHeldUpClientsKilled(this ILogger logger, string alias, string rpc, int seconds, int attempt, int count, string killed);

    [LoggerMessage(EventId = 5105, EventName = nameof(ReplicationChanged), Level = LogLevel.Information, Message = "{Alias} {Rpc}: {Change}")]
    internal static partial void ReplicationChanged(this ILogger logger, string alias, string rpc, string change);

    [LoggerMessage(EventId = 5106, EventName = nameof(RpcFailed), Level = LogLevel.Warning, Message = "{Alias} {Rpc} failed: {Code} {Detail}")]
    internal static partial void RpcFailed(this ILogger logger, string alias, string rpc, StatusCode code, string detail);

    [LoggerMessage(EventId = 5107, EventName = nameof(SemiSyncChanged), Level = LogLevel.Information, Message = "{Alias} {Rpc}: semi-sync primary side {PrimarySide}, replica side {ReplicaSide}")]
    internal static partial void SemiSyncChanged(this ILogger logger, string alias, string rpc, string primarySide, string replicaSide);

    [LoggerMessage(EventId = 5108, EventName = nameof(SemiSyncPrimarySideOffForcedDemotion), Level = LogLevel.Information, Message = "{Alias} {Rpc}: semi-sync primary side off (forced demotion, read_only still held up)")]
    internal static partial void SemiSyncPrimarySideOffForcedDemotion(this ILogger logger, string alias, string rpc);

    [LoggerMessage(EventId = 5109, EventName = nameof(ClientConnectionsKilled), Level = LogLevel.Information, Message = "{Alias} {Rpc}: killed {Count} client connection(s): {Killed}")]
    internal static partial void ClientConnectionsKilled(this ILogger logger, string alias, string rpc, int count, string killed);

    [LoggerMessage(EventId = 5110, EventName = nameof(SemiSyncWaitersKilled), Level = LogLevel.Information, Message = "{Alias} {Rpc}: killed {Count} connection(s) still waiting for a semi-sync acknowledgement: {Killed}")]
    internal static partial void SemiSyncWaitersKilled(this ILogger logger, string alias, string rpc, int count, string killed);

    [LoggerMessage(EventId = 5111, EventName = nameof(MySqldKilledToDropWaitingCommits), Level = LogLevel.Information, Message = "{Alias} {Rpc}: " + MySqldKilledToFence.Marker + ": mysqld (pid {Pid}) killed with SIGKILL because {Count} commit(s) waited for a semi-sync acknowledgement ({Waiters}); restarted, its crash recovery as a replica drops them")]
    internal static partial void MySqldKilledToDropWaitingCommits(this ILogger logger, string alias, string rpc, int pid, int count, string waiters);

    [LoggerMessage(EventId = 5112, EventName = nameof(MySqldKilledToFenceUnresponsive), Level = LogLevel.Information, Message = "{Alias} {Rpc}: " + MySqldKilledToFence.Marker + ": mysqld (pid {Pid}) killed with SIGKILL because {Why}; stopped or hung, it would be writable again the moment it resumed")]
    internal static partial void MySqldKilledToFenceUnresponsive(this ILogger logger, string alias, string rpc, int pid, string why);

    [LoggerMessage(EventId = 5113, EventName = nameof(MySqldReadOnlyConfirmed), Level = LogLevel.Information, Message = "{Alias} {Rpc}: mysqld read-only (confirmed)")]
    internal static partial void MySqldReadOnlyConfirmed(this ILogger logger, string alias, string rpc);

    [LoggerMessage(EventId = 5114, EventName = nameof(MySqldReadOnly), Level = LogLevel.Information, Message = "{Alias} {Rpc}: mysqld read-only")]
    internal static partial void MySqldReadOnly(this ILogger logger, string alias, string rpc);

    [LoggerMessage(EventId = 5115, EventName = nameof(MySqldReadWrite), Level = LogLevel.Information, Message = "{Alias} {Rpc}: mysqld read-write")]
    internal static partial void MySqldReadWrite(this ILogger logger, string alias, string rpc);

    [LoggerMessage(EventId = 5200, EventName = nameof(TopologyUnreachable), Level = LogLevel.Warning, Message = "{Alias} shard sync: the topology does not answer; probing the shard's other tablets")]
    internal static partial void TopologyUnreachable(this ILogger logger, string alias);

    [LoggerMessage(EventId = 5201, EventName = nameof(TopologyReachableAgain), Level = LogLevel.Information, Message = "{Alias} shard sync: the topology answers again")]
    internal static partial void TopologyReachableAgain(this ILogger logger, string alias);

    [LoggerMessage(EventId = 5202, EventName = nameof(ShardContactRestored), Level = LogLevel.Information, Message = "{Alias} shard sync: contact again ({Who}) after {Seconds:0.0} s{Fenced}")]
    internal static partial void ShardContactRestored(this ILogger logger, string alias, string who, double seconds, string fenced);

    [LoggerMessage(EventId = 5203, EventName = nameof(ShardSyncFailed), Level = LogLevel.Warning, Message = "{Alias} shard sync: {Error}; trying again")]
    internal static partial void ShardSyncFailed(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5204, EventName = nameof(ShardPeersRead), Level = LogLevel.Information, Message = "{Alias} shard sync: {Count} other tablet(s) in the shard: {Peers}")]
    internal static partial void ShardPeersRead(this ILogger logger, string alias, int count, string peers);

    [LoggerMessage(EventId = 5205, EventName = nameof(ShardPeersUnreadable), Level = LogLevel.Information, Message = "{Alias} shard sync: could not read the shard's tablets ({Error}); keeping the {Count} known")]
    internal static partial void ShardPeersUnreadable(this ILogger logger, string alias, string error, int count);

    [LoggerMessage(EventId = 5206, EventName = nameof(SelfFencing), Level = LogLevel.Warning, Message = "{Alias} shard sync: neither the topology nor any of {Peers} other tablet(s) of the shard answered for {Seconds:0.0} s; fencing mysqld (clients killed, read-only; mysqld killed if commits wait for a semi-sync acknowledgement) because the orchestrator may be promoting a replica")]
    internal static partial void SelfFencing(this ILogger logger, string alias, string peers, double seconds);

    [LoggerMessage(EventId = 5207, EventName = nameof(SelfFenced), Level = LogLevel.Warning, Message = "{Alias} shard sync: mysqld fenced ({Fence}) while cut off; the tablet stays PRIMARY in the topology")]
    internal static partial void SelfFenced(this ILogger logger, string alias, ImmediateFence fence);

    [LoggerMessage(EventId = 5208, EventName = nameof(NewerPrimaryKeyspaceUnreadable), Level = LogLevel.Warning, Message = "{Alias} shard sync: the shard names a newer primary but keyspace {Keyspace} could not be read: {Error}")]
    internal static partial void NewerPrimaryKeyspaceUnreadable(this ILogger logger, string alias, string keyspace, string error);

    [LoggerMessage(EventId = 5209, EventName = nameof(DemotingForNewerPrimary), Level = LogLevel.Warning, Message = "{Alias} {Action}: {Why}; fencing mysqld and replicating from {Primary}")]
    internal static partial void DemotingForNewerPrimary(this ILogger logger, string alias, string action, string why, string primary);

    [LoggerMessage(EventId = 5210, EventName = nameof(FencedForNewerPrimary), Level = LogLevel.Information, Message = "{Alias} {Action}: mysqld fenced read-only ({Primary} is the shard's primary)")]
    internal static partial void FencedForNewerPrimary(this ILogger logger, string alias, string action, string primary);

    [LoggerMessage(EventId = 5211, EventName = nameof(DemotionForNewerPrimaryFailed), Level = LogLevel.Warning, Message = "{Alias} {Action}: could not finish demoting to a replica of {Primary}: {Error}")]
    internal static partial void DemotionForNewerPrimaryFailed(this ILogger logger, string alias, string action, string primary, string error);

    [LoggerMessage(EventId = 5300, EventName = nameof(SemiSyncSampleFailed), Level = LogLevel.Debug, Message = "{Alias} semi-sync monitor: sample failed: {Error}")]
    internal static partial void SemiSyncSampleFailed(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5301, EventName = nameof(SemiSyncHeartbeatCommitting), Level = LogLevel.Information, Message = "{Alias} semi-sync monitor: {Sessions} commit(s) wait and no acknowledgement arrived in {Interval} s: committing a heartbeat ({Outstanding} outstanding)")]
    internal static partial void SemiSyncHeartbeatCommitting(this ILogger logger, string alias, uint sessions, double interval, int outstanding);

    [LoggerMessage(EventId = 5302, EventName = nameof(SemiSyncHeartbeatAcknowledged), Level = LogLevel.Information, Message = "{Alias} semi-sync monitor: heartbeat acknowledged after {Ms:0} ms; waiting commits are released")]
    internal static partial void SemiSyncHeartbeatAcknowledged(this ILogger logger, string alias, double ms);

    [LoggerMessage(EventId = 5303, EventName = nameof(SemiSyncHeartbeatFailed), Level = LogLevel.Warning, Message = "{Alias} semi-sync monitor: heartbeat write failed: {Error}")]
    internal static partial void SemiSyncHeartbeatFailed(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5400, EventName = nameof(TabletRegistered), Level = LogLevel.Information, Message = "tablet {Alias} registered as {Type}: {Reason}")]
    internal static partial void TabletRegistered(this ILogger logger, string alias, string type, string reason);

    [LoggerMessage(EventId = 5401, EventName = nameof(TabletTypeChanged), Level = LogLevel.Information, Message = "tablet {Alias} type {Previous} -> {Type} ({Why})")]
    internal static partial void TabletTypeChanged(this ILogger logger, string alias, string previous, string type, string why);

    [LoggerMessage(EventId = 5402, EventName = nameof(TabletTypeReadFromTopology), Level = LogLevel.Information, Message = "tablet {Alias} type {Previous} -> {Type} (read from the topology)")]
    internal static partial void TabletTypeReadFromTopology(this ILogger logger, string alias, string previous, string type);

    [LoggerMessage(EventId = 5403, EventName = nameof(TabletMarkedShutDown), Level = LogLevel.Information, Message = "tablet {Alias} marked shut down in the topology")]
    internal static partial void TabletMarkedShutDown(this ILogger logger, string alias);

    [LoggerMessage(EventId = 5404, EventName = nameof(ShardPrimaryUpdated), Level = LogLevel.Information, Message = "shard {Keyspace}/{Shard}: primary is now {Alias}")]
    internal static partial void ShardPrimaryUpdated(this ILogger logger, string keyspace, string shard, string alias);

    [LoggerMessage(EventId = 5405, EventName = nameof(ShardPrimaryTermNewer), Level = LogLevel.Warning, Message = "shard {Keyspace}/{Shard} already has a newer primary term; its record is left unchanged")]
    internal static partial void ShardPrimaryTermNewer(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 5500, EventName = nameof(RestartGuardMySqldLost), Level = LogLevel.Information, Message = "{Alias} restart guard: lost mysqld ({Error}); it is made read-only when it answers again unless this tablet is the shard's primary")]
    internal static partial void RestartGuardMySqldLost(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5501, EventName = nameof(RestartGuardPrimaryUnchanged), Level = LogLevel.Information, Message = "{Alias} restart guard: {Why}; this tablet is the shard's primary, read_only left as it is")]
    internal static partial void RestartGuardPrimaryUnchanged(this ILogger logger, string alias, string why);

    [LoggerMessage(EventId = 5502, EventName = nameof(RestartGuardMadeReadOnly), Level = LogLevel.Warning, Message = "{Alias} restart guard: {Why}; mysqld made read-only (this tablet is not the shard's primary)")]
    internal static partial void RestartGuardMadeReadOnly(this ILogger logger, string alias, string why);

    [LoggerMessage(EventId = 5600, EventName = nameof(MySqldSentinelEnded), Level = LogLevel.Debug, Message = "{Alias} mysqld watcher: sentinel connection ended ({Error}); probing at once")]
    internal static partial void MySqldSentinelEnded(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5601, EventName = nameof(MySqldBack), Level = LogLevel.Information, Message = "{Alias} mysqld watcher: mysqld at {Endpoint} is back (was: {Error})")]
    internal static partial void MySqldBack(this ILogger logger, string alias, string endpoint, string? error);

    [LoggerMessage(EventId = 5602, EventName = nameof(MySqldLost), Level = LogLevel.Information, Message = "{Alias} mysqld watcher: mysqld lost: {Error}")]
    internal static partial void MySqldLost(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5603, EventName = nameof(MySqldStillLost), Level = LogLevel.Debug, Message = "{Alias} mysqld watcher: still no mysqld: {Error}")]
    internal static partial void MySqldStillLost(this ILogger logger, Exception? exception, string alias, string error);

    [LoggerMessage(EventId = 5604, EventName = nameof(ReplicationSampleFailed), Level = LogLevel.Debug, Message = "{Alias} replication sample failed: {Error}")]
    internal static partial void ReplicationSampleFailed(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 5605, EventName = nameof(ReplicationHealthChanged), Level = LogLevel.Information, Message = "{Alias} replication health: {State}")]
    internal static partial void ReplicationHealthChanged(this ILogger logger, string alias, string state);

    [LoggerMessage(EventId = 5606, EventName = nameof(HealthStreamClientsDropped), Level = LogLevel.Warning, Message = "tablet {Alias}: dropped {Count} health stream client(s) whose buffer of {Size} messages overflowed")]
    internal static partial void HealthStreamClientsDropped(this ILogger logger, string alias, int count, int size);

    [LoggerMessage(EventId = 5700, EventName = nameof(DiskProbeStarted), Level = LogLevel.Information, Message = "{Alias} disk health: probing {Target} every {Interval} s, stalled after {Timeout} s")]
    internal static partial void DiskProbeStarted(this ILogger logger, string alias, string target, double interval, double timeout);

    [LoggerMessage(EventId = 5701, EventName = nameof(DiskWriteFailed), Level = LogLevel.Warning, Message = "{Alias} disk health: writing {Target} failed: {Error}")]
    internal static partial void DiskWriteFailed(this ILogger logger, string alias, string target, string error);

    [LoggerMessage(EventId = 5702, EventName = nameof(DiskWriteSlow), Level = LogLevel.Warning, Message = "{Alias} disk health: writing {Target} took {Seconds:0.###} s, more than {Timeout} s")]
    internal static partial void DiskWriteSlow(this ILogger logger, string alias, string target, double seconds, double timeout);

    [LoggerMessage(EventId = 5703, EventName = nameof(DiskStalled), Level = LogLevel.Error, Message = "{Alias} disk health: the data directory is stalled ({Target}); FullStatus reports disk_stalled and the tablet stops serving")]
    internal static partial void DiskStalled(this ILogger logger, string alias, string target);

    [LoggerMessage(EventId = 5704, EventName = nameof(DiskRecovered), Level = LogLevel.Information, Message = "{Alias} disk health: writes to {Target} complete in time again")]
    internal static partial void DiskRecovered(this ILogger logger, string alias, string target);

    [LoggerMessage(EventId = 5800, EventName = nameof(PeerMonitorStarted), Level = LogLevel.Information, Message = "{Alias} shard-peer monitor: pinging the shard's primary every {Interval} s (timeout {Timeout} s)")]
    internal static partial void PeerMonitorStarted(this ILogger logger, string alias, double interval, double timeout);

    [LoggerMessage(EventId = 5801, EventName = nameof(PeerMonitorShardUnreadable), Level = LogLevel.Warning, Message = "{Alias} shard-peer monitor: cannot read shard {Keyspace}/{Shard} from the topology ({Error}); keeping the tracked primary {Target}")]
    internal static partial void PeerMonitorShardUnreadable(this ILogger logger, string alias, string keyspace, string shard, string error, string target);

    [LoggerMessage(EventId = 5802, EventName = nameof(PeerMonitorStoppedTracking), Level = LogLevel.Information, Message = "{Alias} shard-peer monitor: stopped tracking {Before}: {Why}")]
    internal static partial void PeerMonitorStoppedTracking(this ILogger logger, string alias, string before, string why);

    [LoggerMessage(EventId = 5803, EventName = nameof(PeerMonitorTracking), Level = LogLevel.Information, Message = "{Alias} shard-peer monitor: tracking the shard's primary {Target}{Before}")]
    internal static partial void PeerMonitorTracking(this ILogger logger, string alias, string target, string before);

    [LoggerMessage(EventId = 5804, EventName = nameof(PeerPrimaryAnswers), Level = LogLevel.Information, Message = "{Alias} shard-peer monitor: primary {Target} answers")]
    internal static partial void PeerPrimaryAnswers(this ILogger logger, string alias, string target);

    [LoggerMessage(EventId = 5805, EventName = nameof(PeerPrimaryLost), Level = LogLevel.Warning, Message = "{Alias} shard-peer monitor: lost contact with primary {Target}: {Error}")]
    internal static partial void PeerPrimaryLost(this ILogger logger, string alias, string target, string? error);

    [LoggerMessage(EventId = 5806, EventName = nameof(PeerPrimaryAnswersAgain), Level = LogLevel.Information, Message = "{Alias} shard-peer monitor: primary {Target} answers again")]
    internal static partial void PeerPrimaryAnswersAgain(this ILogger logger, string alias, string target);
}
