using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// The discovery's log events (1000–1399): the topo refresh (1000s), the topology watches (1100s), polling (1200s)
/// and the health streams (1300s).
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class DiscoveryLogMessages
{
    [LoggerMessage(EventId = 1000, EventName = nameof(FirstDiscoveryComplete), Level = LogLevel.Information, Message = "First discovery cycle complete: {Tablets} tablets, {Shards} shards known")]
    internal static partial void FirstDiscoveryComplete(this ILogger logger, int tablets, int shards);

    [LoggerMessage(EventId = 1001, EventName = nameof(TopoRefreshTickDone), Level = LogLevel.Debug, Message = "Topo refresh tick done ({Outcome}): {Tablets} tablets, {Shards} shards")]
    internal static partial void TopoRefreshTickDone(this ILogger logger, string outcome, int tablets, int shards);

    [LoggerMessage(EventId = 1002, EventName = nameof(TopoRefreshTickTimedOut), Level = LogLevel.Warning, Message = "Topo refresh tick did not finish within {Duration}; continuing at the next tick")]
    internal static partial void TopoRefreshTickTimedOut(this ILogger logger, TimeSpan duration);

    [LoggerMessage(EventId = 1003, EventName = nameof(TabletRefreshCellsUnreadable), Level = LogLevel.Warning, Message = "Tablet refresh: cannot list the cells: {Error}")]
    internal static partial void TabletRefreshCellsUnreadable(this ILogger logger, Exception exception, string error);

    [LoggerMessage(EventId = 1004, EventName = nameof(TabletRefreshCellsMissing), Level = LogLevel.Warning, Message = "Tablet refresh failed: --cells-to-watch cell(s) {Cells} do not exist in the topology")]
    internal static partial void TabletRefreshCellsMissing(this ILogger logger, string cells);

    [LoggerMessage(EventId = 1005, EventName = nameof(TabletRefreshCellSkipped), Level = LogLevel.Warning, Message = "Partial topo result: cannot list the tablets of cell {Cell}, skipping it (no tablet of it is forgotten): {Error}")]
    internal static partial void TabletRefreshCellSkipped(this ILogger logger, string cell, string error);

    [LoggerMessage(EventId = 1006, EventName = nameof(TabletRefreshFoundNoCells), Level = LogLevel.Information, Message = "Found no cells with tablets ({Cells} cells, {Failed} failed); nothing changed")]
    internal static partial void TabletRefreshFoundNoCells(this ILogger logger, int cells, int failed);

    [LoggerMessage(EventId = 1007, EventName = nameof(CellTabletsUnreadable), Level = LogLevel.Warning, Message = "Cannot list the tablets of cell {Cell}: {Error}")]
    internal static partial void CellTabletsUnreadable(this ILogger logger, string cell, string error);

    [LoggerMessage(EventId = 1008, EventName = nameof(TabletRecordUndecodable), Level = LogLevel.Error, Message = "Cell {Cell}: tablet record of {Alias} cannot be decoded, skipping it (kept as last seen, not forgotten): {Error}")]
    internal static partial void TabletRecordUndecodable(this ILogger logger, string cell, string alias, string error);

    [LoggerMessage(EventId = 1009, EventName = nameof(KeyspaceListFailed), Level = LogLevel.Warning, Message = "Keyspace refresh: cannot list the keyspaces: {Error}")]
    internal static partial void KeyspaceListFailed(this ILogger logger, Exception exception, string error);

    [LoggerMessage(EventId = 1010, EventName = nameof(KeyspaceReadFailed), Level = LogLevel.Warning, Message = "Keyspace refresh: cannot read keyspace {Keyspace}: {Error}")]
    internal static partial void KeyspaceReadFailed(this ILogger logger, Exception exception, string keyspace, string error);

    [LoggerMessage(EventId = 1011, EventName = nameof(ShardListFailed), Level = LogLevel.Warning, Message = "Shard refresh: cannot read the shards of keyspace {Keyspace} (limit {Limit} concurrent reads): {Error}")]
    internal static partial void ShardListFailed(this ILogger logger, Exception exception, string keyspace, int limit, string error);

    [LoggerMessage(EventId = 1012, EventName = nameof(ShardDropped), Level = LogLevel.Information, Message = "Shard {Keyspace}/{Shard} is no longer in the topo (or no longer watched); dropped its record")]
    internal static partial void ShardDropped(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 1013, EventName = nameof(ShardNotWatched), Level = LogLevel.Debug, Message = "Shard {Keyspace}/{Shard} is not in --clusters-to-watch; not tracked")]
    internal static partial void ShardNotWatched(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 1014, EventName = nameof(ShardDeleted), Level = LogLevel.Information, Message = "Shard {Keyspace}/{Shard} no longer exists in the topo; dropped its record")]
    internal static partial void ShardDeleted(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 1015, EventName = nameof(ShardDiscovered), Level = LogLevel.Information, Message = "Discovered shard {Keyspace}/{Shard} ({Primary})")]
    internal static partial void ShardDiscovered(this ILogger logger, string keyspace, string shard, string primary);

    [LoggerMessage(EventId = 1016, EventName = nameof(KeyspaceNotWatched), Level = LogLevel.Debug, Message = "Keyspace {Keyspace} is not in --clusters-to-watch; not tracked")]
    internal static partial void KeyspaceNotWatched(this ILogger logger, string keyspace);

    [LoggerMessage(EventId = 1017, EventName = nameof(KeyspaceDeleted), Level = LogLevel.Information, Message = "Keyspace {Keyspace} no longer exists in the topo; dropped its record")]
    internal static partial void KeyspaceDeleted(this ILogger logger, string keyspace);

    [LoggerMessage(EventId = 1018, EventName = nameof(WatchedKeyspaceMissing), Level = LogLevel.Debug, Message = "Keyspace {Keyspace} (from --clusters-to-watch) does not exist in the topo")]
    internal static partial void WatchedKeyspaceMissing(this ILogger logger, string keyspace);

    [LoggerMessage(EventId = 1019, EventName = nameof(KeyspaceSettingsRead), Level = LogLevel.Information, Message = "Keyspace {Keyspace}: type {Type}, durability policy \"{Durability}\", emergency reparent {Ers}")]
    internal static partial void KeyspaceSettingsRead(this ILogger logger, string keyspace, KeyspaceType type, string durability, string ers);

    [LoggerMessage(EventId = 1020, EventName = nameof(RefreshKeptWatchValue), Level = LogLevel.Debug, Message = "Refresh: {Record} changed through the topo watch while it was being read; keeping the watch's value")]
    internal static partial void RefreshKeptWatchValue(this ILogger logger, string record);

    [LoggerMessage(EventId = 1021, EventName = nameof(TabletNotWatched), Level = LogLevel.Debug, Message = "Tablet {Alias} of {Keyspace}/{Shard} is not in --clusters-to-watch; ignored")]
    internal static partial void TabletNotWatched(this ILogger logger, string alias, string keyspace, string shard);

    [LoggerMessage(EventId = 1022, EventName = nameof(TabletRecordIgnored), Level = LogLevel.Warning, Message = "Cell {Cell}: ignoring tablet record \"{Alias}\": {Error}")]
    internal static partial void TabletRecordIgnored(this ILogger logger, string cell, string alias, string error);

    [LoggerMessage(EventId = 1023, EventName = nameof(TabletChanged), Level = LogLevel.Information, Message = "Tablet {Tablet} changed in the topo; polling it")]
    internal static partial void TabletChanged(this ILogger logger, TabletRecord tablet);

    [LoggerMessage(EventId = 1024, EventName = nameof(TabletDiscovered), Level = LogLevel.Information, Message = "Discovered tablet {Tablet} in cell {Cell}; polling it")]
    internal static partial void TabletDiscovered(this ILogger logger, TabletRecord tablet, string cell);

    [LoggerMessage(EventId = 1025, EventName = nameof(TabletForgotten), Level = LogLevel.Information, Message = "Forgetting tablet {Tablet}: {Why}; not polled for {Ttl}")]
    internal static partial void TabletForgotten(this ILogger logger, TabletRecord tablet, string why, TimeSpan ttl);

    [LoggerMessage(EventId = 1026, EventName = nameof(TabletHandlerFailed), Level = LogLevel.Error, Message = "A {Event} handler failed for tablet {Tablet}: {Error}")]
    internal static partial void TabletHandlerFailed(this ILogger logger, Exception exception, string @event, TabletRecord tablet, string error);

    [LoggerMessage(EventId = 1100, EventName = nameof(TopoWatchOpened), Level = LogLevel.Information, Message = "Topo watch of {Scope} {What} at revision {Revision} ({Prefix} on {Endpoint})")]
    internal static partial void TopoWatchOpened(this ILogger logger, string scope, string what, long revision, string prefix, string endpoint);

    [LoggerMessage(EventId = 1101, EventName = nameof(TopoWatchStreamEnded), Level = LogLevel.Information, Message = "Topo watch of {Scope}: etcd ended the stream; re-opening it from revision {Revision}")]
    internal static partial void TopoWatchStreamEnded(this ILogger logger, string scope, long revision);

    [LoggerMessage(EventId = 1102, EventName = nameof(TopoWatchCompacted), Level = LogLevel.Warning, Message = "Topo watch of {Scope}: revision {Revision} has been compacted ({Error}); re-reading the scope in full and watching from the current revision")]
    internal static partial void TopoWatchCompacted(this ILogger logger, string scope, long revision, string error);

    [LoggerMessage(EventId = 1103, EventName = nameof(TopoWatchFailed), Level = LogLevel.Warning, Message = "Topo watch of {Scope} failed: {Error}; re-opening it in {Backoff} from revision {Revision} (the periodic refresh still runs meanwhile)")]
    internal static partial void TopoWatchFailed(this ILogger logger, string scope, string error, TimeSpan backoff, object revision);

    [LoggerMessage(EventId = 1104, EventName = nameof(TopoWatchStopped), Level = LogLevel.Information, Message = "Topo watch of {Scope} stopped")]
    internal static partial void TopoWatchStopped(this ILogger logger, string scope);

    [LoggerMessage(EventId = 1105, EventName = nameof(TopoWatchFullRead), Level = LogLevel.Information, Message = "Topo watch of {Scope}: reading it in full (revision {Revision}) before watching")]
    internal static partial void TopoWatchFullRead(this ILogger logger, string scope, long revision);

    [LoggerMessage(EventId = 1106, EventName = nameof(TopoWatchChangeApplied), Level = LogLevel.Debug, Message = "Topo watch of {Scope}: applied the {Change} of {Key} at revision {Revision}")]
    internal static partial void TopoWatchChangeApplied(this ILogger logger, string scope, string change, string key, long revision);

    [LoggerMessage(EventId = 1107, EventName = nameof(TopoWatchRecordSkipped), Level = LogLevel.Error, Message = "Topo watch of {Scope}: the record at {Key} (revision {Revision}) cannot be applied, skipping it: {Error}")]
    internal static partial void TopoWatchRecordSkipped(this ILogger logger, string scope, string key, long revision, string error);

    [LoggerMessage(EventId = 1108, EventName = nameof(TopoWatchSilent), Level = LogLevel.Warning, Message = "Topo watch of {Scope}: nothing from {Endpoint} for {Silent:0.#} s although progress notices were requested; dropping the stream and re-opening it")]
    internal static partial void TopoWatchSilent(this ILogger logger, string scope, string endpoint, double silent);

    [LoggerMessage(EventId = 1109, EventName = nameof(TopoWatchProgressRequestFailed), Level = LogLevel.Debug, Message = "Topo watch of {Scope}: progress request failed: {Error}")]
    internal static partial void TopoWatchProgressRequestFailed(this ILogger logger, string scope, string error);

    [LoggerMessage(EventId = 1110, EventName = nameof(TopoWatchCellGone), Level = LogLevel.Information, Message = "Topo watch: cell {Cell} is no longer in the topology; stopping its watch")]
    internal static partial void TopoWatchCellGone(this ILogger logger, string cell);

    [LoggerMessage(EventId = 1111, EventName = nameof(TopoWatchRevisionUnreadable), Level = LogLevel.Warning, Message = "Topo watch: cannot read the current revision of {What} ({Error}); its watch will start with a full read")]
    internal static partial void TopoWatchRevisionUnreadable(this ILogger logger, string what, string error);

    [LoggerMessage(EventId = 1112, EventName = nameof(TopoWatchCellsUnreadable), Level = LogLevel.Warning, Message = "Topo watch: cannot list the cells ({Error}); trying again in {Interval}")]
    internal static partial void TopoWatchCellsUnreadable(this ILogger logger, string error, TimeSpan interval);

    [LoggerMessage(EventId = 1200, EventName = nameof(PollerStarted), Level = LogLevel.Information, Message = "Instance poller started: {Workers} workers, poll every {Poll}, FullStatus timeout {Timeout}")]
    internal static partial void PollerStarted(this ILogger logger, int workers, string poll, string timeout);

    [LoggerMessage(EventId = 1201, EventName = nameof(HealthTick), Level = LogLevel.Debug, Message = "Health tick: {Due} tablets due for a poll, {Added} queued, queue length {Length}")]
    internal static partial void HealthTick(this ILogger logger, int due, int added, int length);

    [LoggerMessage(EventId = 1202, EventName = nameof(PollSkippedForgotten), Level = LogLevel.Debug, Message = "Not polling {Alias}: forgotten recently")]
    internal static partial void PollSkippedForgotten(this ILogger logger, string alias);

    [LoggerMessage(EventId = 1203, EventName = nameof(PollSkippedRecent), Level = LogLevel.Debug, Message = "Not polling {Alias}: polled less than {Age} ago")]
    internal static partial void PollSkippedRecent(this ILogger logger, string alias, TimeSpan age);

    [LoggerMessage(EventId = 1204, EventName = nameof(PollSkippedUpToDate), Level = LogLevel.Debug, Message = "Not polling {Alias}: last check at {LastChecked} is up to date and valid")]
    internal static partial void PollSkippedUpToDate(this ILogger logger, string alias, DateTimeOffset lastChecked);

    [LoggerMessage(EventId = 1205, EventName = nameof(PollSlow), Level = LogLevel.Warning, Message = "Polling {Alias} took {Took}, more than --instance-poll-time {Poll}")]
    internal static partial void PollSlow(this ILogger logger, string alias, TimeSpan took, TimeSpan poll);

    [LoggerMessage(EventId = 1206, EventName = nameof(PrimaryPollFailed), Level = LogLevel.Information, Message = "Poll of primary {Tablet} failed: {Error}")]
    internal static partial void PrimaryPollFailed(this ILogger logger, TabletRecord tablet, string error);

    [LoggerMessage(EventId = 1207, EventName = nameof(PrimaryPollFailedAgain), Level = LogLevel.Debug, Message = "Poll of primary {Tablet} failed again: {Error}")]
    internal static partial void PrimaryPollFailedAgain(this ILogger logger, TabletRecord tablet, string error);

    [LoggerMessage(EventId = 1208, EventName = nameof(PollFailed), Level = LogLevel.Debug, Message = "Poll of {Alias} failed: {Error}")]
    internal static partial void PollFailed(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 1209, EventName = nameof(PrimaryUnreachableShardRepolled), Level = LogLevel.Information, Message = "Primary {Tablet} unreachable: re-polling the {Count} other tablets of {Keyspace}/{Shard} now and asking for an analysis")]
    internal static partial void PrimaryUnreachableShardRepolled(this ILogger logger, TabletRecord tablet, int count, string keyspace, string shard);

    [LoggerMessage(EventId = 1210, EventName = nameof(HealthStreamTabletRepolled), Level = LogLevel.Information, Message = "Health stream of {Tablet}: {Reason}; polling it now and analysing {Keyspace}/{Shard}")]
    internal static partial void HealthStreamTabletRepolled(this ILogger logger, TabletRecord tablet, string reason, string keyspace, string shard);

    [LoggerMessage(EventId = 1211, EventName = nameof(HealthStreamPrimaryRepolled), Level = LogLevel.Information, Message = "Health stream of primary {Tablet}: {Reason}; polling it (within {Timeout}) and the {Count} other tablets of {Keyspace}/{Shard} now and asking for an analysis")]
    internal static partial void HealthStreamPrimaryRepolled(this ILogger logger, TabletRecord tablet, string reason, string timeout, int count, string keyspace, string shard);

    [LoggerMessage(EventId = 1212, EventName = nameof(ShardNeedsAnalysisHandlerFailed), Level = LogLevel.Error, Message = "A ShardNeedsAnalysis handler failed for {Keyspace}/{Shard}: {Error}")]
    internal static partial void ShardNeedsAnalysisHandlerFailed(this ILogger logger, Exception exception, string keyspace, string shard, string error);

    [LoggerMessage(EventId = 1213, EventName = nameof(PollStillRunning), Level = LogLevel.Debug, Message = "Poll of {Alias} still running after {Delay}; marked as attempted")]
    internal static partial void PollStillRunning(this ILogger logger, string alias, TimeSpan delay);

    [LoggerMessage(EventId = 1214, EventName = nameof(TabletDiskStalled), Level = LogLevel.Warning, Message = "Tablet {Tablet} reports a stalled disk; its poll counts as failed")]
    internal static partial void TabletDiskStalled(this ILogger logger, TabletRecord tablet);

    [LoggerMessage(EventId = 1215, EventName = nameof(PollResultDropped), Level = LogLevel.Debug, Message = "Polled {Alias} but it was forgotten meanwhile; result dropped")]
    internal static partial void PollResultDropped(this ILogger logger, string alias);

    [LoggerMessage(EventId = 1216, EventName = nameof(ErrantGtidsFound), Level = LogLevel.Information, Message = "Tablet {Tablet} has errant GTIDs {Errant}")]
    internal static partial void ErrantGtidsFound(this ILogger logger, TabletRecord tablet, string errant);

    [LoggerMessage(EventId = 1217, EventName = nameof(TabletPolled), Level = LogLevel.Debug, Message = "Polled {Tablet}: running as {Type}, source {Source}:{Port}")]
    internal static partial void TabletPolled(this ILogger logger, TabletRecord tablet, TabletType type, string source, int port);

    [LoggerMessage(EventId = 1218, EventName = nameof(PrimaryPollHealthChanged), Level = LogLevel.Information, Message = "Primary {Tablet}: recent polls now {State} ({Window})")]
    internal static partial void PrimaryPollHealthChanged(this ILogger logger, TabletRecord tablet, string state, PrimaryHealthWindow window);

    [LoggerMessage(EventId = 1219, EventName = nameof(DiscoveryFailed), Level = LogLevel.Error, Message = "Discovery of {Alias} failed unexpectedly: {Error}")]
    internal static partial void DiscoveryFailed(this ILogger logger, Exception exception, string alias, string error);

    [LoggerMessage(EventId = 1300, EventName = nameof(HealthStreamsListening), Level = LogLevel.Information, Message = "Listening to tablets' health streams: a silent stream counts as broken after {Timeout} when its tablet announces a heartbeat; a stream turning unhealthy makes the shard be polled at once")]
    internal static partial void HealthStreamsListening(this ILogger logger, string timeout);

    [LoggerMessage(EventId = 1301, EventName = nameof(HealthStreamReconcileFailed), Level = LogLevel.Error, Message = "Matching health streams to the watched tablets failed; trying again in {Interval}: {Error}")]
    internal static partial void HealthStreamReconcileFailed(this ILogger logger, Exception exception, TimeSpan interval, string error);

    [LoggerMessage(EventId = 1302, EventName = nameof(HealthStreamSilenceBurst), Level = LogLevel.Warning, Message = "{Threshold} or more health streams fell silent within {Window}: more likely this daemon (starved or paused), its host or its network than that many tablets; silent streams are left to the regular polls until this calms down")]
    internal static partial void HealthStreamSilenceBurst(this ILogger logger, int threshold, string window);

    [LoggerMessage(EventId = 1303, EventName = nameof(HealthStreamSignalSuppressed), Level = LogLevel.Debug, Message = "Health stream of {Alias}: {Reason}; not reacting (burst of silent streams)")]
    internal static partial void HealthStreamSignalSuppressed(this ILogger logger, string alias, string reason);

    [LoggerMessage(EventId = 1304, EventName = nameof(HealthStreamSilenceBurstOver), Level = LogLevel.Information, Message = "Burst of silent health streams over: {Suppressed} silent stream(s) were left to the regular polls; reacting to each silent stream again")]
    internal static partial void HealthStreamSilenceBurstOver(this ILogger logger, int suppressed);

    [LoggerMessage(EventId = 1305, EventName = nameof(HealthStreamUnavailable), Level = LogLevel.Debug, Message = "No health stream for {Alias}: {Error}")]
    internal static partial void HealthStreamUnavailable(this ILogger logger, string alias, string error);

    [LoggerMessage(EventId = 1306, EventName = nameof(HealthStreamsChanged), Level = LogLevel.Information, Message = "Health streams: {Started} opened, {Closed} closed (tablets gone or moved), {Total} in all")]
    internal static partial void HealthStreamsChanged(this ILogger logger, int started, int closed, int total);

    [LoggerMessage(EventId = 1307, EventName = nameof(HealthStreamsUnimplemented), Level = LogLevel.Information, Message = "{Count} watched tablet(s) serve no health stream (UNIMPLEMENTED): they are watched by polling alone")]
    internal static partial void HealthStreamsUnimplemented(this ILogger logger, int count);

    [LoggerMessage(EventId = 1308, EventName = nameof(HealthStreamConnected), Level = LogLevel.Debug, Message = "Health stream of {Alias} ({Address}) connected")]
    internal static partial void HealthStreamConnected(this ILogger logger, string alias, string address);

    [LoggerMessage(EventId = 1309, EventName = nameof(HealthStreamNotServed), Level = LogLevel.Debug, Message = "Tablet {Alias} does not serve the health stream ({Error}); it is watched by polling alone, asking again in {Wait}")]
    internal static partial void HealthStreamNotServed(this ILogger logger, string alias, string error, string wait);

    [LoggerMessage(EventId = 1310, EventName = nameof(HealthStreamReconnecting), Level = LogLevel.Debug, Message = "Health stream of {Alias}: {Reason}; reconnecting in {Wait}")]
    internal static partial void HealthStreamReconnecting(this ILogger logger, string alias, string reason, TimeSpan wait);

    [LoggerMessage(EventId = 1311, EventName = nameof(HealthStreamReactionFailed), Level = LogLevel.Error, Message = "Reacting to the health stream of {Alias} failed: {Error}")]
    internal static partial void HealthStreamReactionFailed(this ILogger logger, Exception exception, string alias, string error);

    [LoggerMessage(EventId = 1312, EventName = nameof(HealthStreamConnectionReplaced), Level = LogLevel.Debug, Message = "Health stream of {Alias}: its connection was replaced by a probe on a new connection; reopening it now")]
    internal static partial void HealthStreamConnectionReplaced(this ILogger logger, string alias);
}
