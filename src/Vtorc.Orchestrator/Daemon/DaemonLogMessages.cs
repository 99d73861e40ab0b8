using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The daemon's own log events (6000s): start, shutdown, the recovery tick and caretaking.
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class DaemonLogMessages
{
    [LoggerMessage(EventId = 6000, EventName = nameof(DaemonStarting), Level = LogLevel.Information, Message = "VTOrc starting: watching {Watch}; poll every {Poll}, topo refresh every {Refresh}, recovery tick every {Recovery}; history in {Store}; emergency reparent {Ers}; anti-flapping block {Block}")]
    internal static partial void DaemonStarting(this ILogger logger, string watch, string poll, string refresh, string recovery, StoreLocation store, string ers, string block);

    [LoggerMessage(EventId = 6001, EventName = nameof(InitialTopoRefreshDone), Level = LogLevel.Information, Message = "Initial topo refresh {Outcome}: {Tablets} tablets in {Shards} shards")]
    internal static partial void InitialTopoRefreshDone(this ILogger logger, string outcome, int tablets, int shards);

    [LoggerMessage(EventId = 6002, EventName = nameof(InitialTopoRefreshTimedOut), Level = LogLevel.Warning, Message = "Initial topo refresh did not finish within {Timeout}; continuing with the topo ticks")]
    internal static partial void InitialTopoRefreshTimedOut(this ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 6003, EventName = nameof(InitialTopoRefreshFailed), Level = LogLevel.Warning, Message = "Initial topo refresh failed: {Error}; continuing with the topo ticks")]
    internal static partial void InitialTopoRefreshFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = 6004, EventName = nameof(HealthStreamsOff), Level = LogLevel.Information, Message = "Not listening to tablets' health streams ({Why}): failures are detected by polling alone")]
    internal static partial void HealthStreamsOff(this ILogger logger, string why);

    [LoggerMessage(EventId = 6005, EventName = nameof(CellNotInTopology), Level = LogLevel.Warning, Message = "--cell \"{Cell}\" is not a cell of the topology (cells: {Cells})")]
    internal static partial void CellNotInTopology(this ILogger logger, string cell, string cells);

    [LoggerMessage(EventId = 6006, EventName = nameof(CellNotChecked), Level = LogLevel.Warning, Message = "Could not check --cell \"{Cell}\" against the topology: {Error}")]
    internal static partial void CellNotChecked(this ILogger logger, string cell, string error);

    [LoggerMessage(EventId = 6007, EventName = nameof(ShutdownCancellingRecoveries), Level = LogLevel.Warning, Message = "Shutdown: the recovery tick or {Shards} shard recovery(ies) still run after {Wait}; cancelling them")]
    internal static partial void ShutdownCancellingRecoveries(this ILogger logger, int shards, TimeSpan wait);

    [LoggerMessage(EventId = 6009, EventName = nameof(DaemonStopped), Level = LogLevel.Information, Message = "VTOrc stopped")]
    internal static partial void DaemonStopped(this ILogger logger);

    [LoggerMessage(EventId = 6010, EventName = nameof(ShutdownWaitingForShardLocks), Level = LogLevel.Information, Message = "Shutdown: waiting up to {Wait} for {Locks} shard lock(s) held by running recoveries")]
    internal static partial void ShutdownWaitingForShardLocks(this ILogger logger, TimeSpan wait, int locks);

    [LoggerMessage(EventId = 6011, EventName = nameof(ShutdownShardLocksStillHeld), Level = LogLevel.Warning, Message = "Shutdown: {Locks} shard lock(s) still held after {Wait}; stopping anyway")]
    internal static partial void ShutdownShardLocksStillHeld(this ILogger logger, int locks, TimeSpan wait);

    [LoggerMessage(EventId = 6012, EventName = nameof(ShutdownShardLocksReleased), Level = LogLevel.Information, Message = "Shutdown: every shard lock released")]
    internal static partial void ShutdownShardLocksReleased(this ILogger logger);

    [LoggerMessage(EventId = 6013, EventName = nameof(RecoveryTickStartedEarly), Level = LogLevel.Debug, Message = "Recovery tick started early: a shard needs analysis")]
    internal static partial void RecoveryTickStartedEarly(this ILogger logger);

    [LoggerMessage(EventId = 6014, EventName = nameof(RecoveryTickFailed), Level = LogLevel.Error, Message = "Recovery tick failed unexpectedly; continuing at the next tick")]
    internal static partial void RecoveryTickFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6015, EventName = nameof(RecoveryTickDispatched), Level = LogLevel.Debug, Message = "Recovery tick: started the recoveries of {Started} shard(s); {Skipped} shard(s) still have one in flight; {Recovering} recovering, {Queued} waiting for a slot")]
    internal static partial void RecoveryTickDispatched(this ILogger logger, int started, int skipped, int recovering, int queued);

    [LoggerMessage(EventId = 6016, EventName = nameof(CaretakingDone), Level = LogLevel.Debug, Message = "Caretaking: {Expired}")]
    internal static partial void CaretakingDone(this ILogger logger, ExpiryResult expired);

    [LoggerMessage(EventId = 6017, EventName = nameof(CaretakingFailed), Level = LogLevel.Error, Message = "Caretaking tick failed; retrying at the next one")]
    internal static partial void CaretakingFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6018, EventName = nameof(AuditEntryNotWritten), Level = LogLevel.Warning, Message = "Could not write the {Type} audit entry for {Alias}: {Error}")]
    internal static partial void AuditEntryNotWritten(this ILogger logger, string type, string alias, string error);

    [LoggerMessage(EventId = 6019, EventName = nameof(OperatorReparentRequested), Level = LogLevel.Warning, Message = "{What} of {Keyspace}/{Shard} requested by {Who}")]
    internal static partial void OperatorReparentRequested(this ILogger logger, string what, string keyspace, string shard, string who);

    [LoggerMessage(EventId = 6020, EventName = nameof(OperatorReparentFailed), Level = LogLevel.Warning, Message = "{What} of {Keyspace}/{Shard} requested by {Who} failed: {Error}")]
    internal static partial void OperatorReparentFailed(this ILogger logger, string what, string keyspace, string shard, string who, string error);

    [LoggerMessage(EventId = 6021, EventName = nameof(OperatorReparentStep), Level = LogLevel.Information, Message = "{What} of {Keyspace}/{Shard}: {Step}")]
    internal static partial void OperatorReparentStep(this ILogger logger, string what, string keyspace, string shard, string step);

    [LoggerMessage(EventId = 6022, EventName = nameof(ShutdownWaitingForOperatorReparents), Level = LogLevel.Warning, Message = "Shutdown: waiting up to {Wait} for {Count} operator reparent(s) still running: {Reparents}")]
    internal static partial void ShutdownWaitingForOperatorReparents(this ILogger logger, TimeSpan wait, int count, string reparents);

    [LoggerMessage(EventId = 6023, EventName = nameof(ShutdownCancellingOperatorReparents), Level = LogLevel.Error, Message = "Shutdown: operator reparent(s) still running after {Wait}; cancelling them, check their shards: {Reparents}")]
    internal static partial void ShutdownCancellingOperatorReparents(this ILogger logger, TimeSpan wait, string reparents);

    [LoggerMessage(EventId = 6024, EventName = nameof(ShutdownOperatorReparentsEnded), Level = LogLevel.Information, Message = "Shutdown: every operator reparent ended")]
    internal static partial void ShutdownOperatorReparentsEnded(this ILogger logger);

    [LoggerMessage(EventId = 6025, EventName = nameof(OperatorReparentsAbandoned), Level = LogLevel.Warning, Message = "Operator reparent(s) that the previous process left running are recorded as abandoned; check their shards on the page")]
    internal static partial void OperatorReparentsAbandoned(this ILogger logger);
}
