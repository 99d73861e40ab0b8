using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// The recovery pipeline's log events (3000s): decisions and skips with their reason (3000s), the scheduler
/// (3100s), the recovery switches: global, per keyspace, per shard (3200s).
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class RecoveryLogMessages
{
    [LoggerMessage(EventId = 3000, EventName = nameof(RecoverySkippedEmergencyReparentDisabled), Level = LogLevel.Information, Message = "skipping {Recovery} for {Analysis} on {Tablet}: {Why}")]
    internal static partial void RecoverySkippedEmergencyReparentDisabled(this ILogger logger, string recovery, string analysis, string tablet, string why);

    [LoggerMessage(EventId = 3001, EventName = nameof(NoRecoveryAction), Level = LogLevel.Debug, Message = "no recovery action for {Analysis} on {Tablet}{Note}")]
    internal static partial void NoRecoveryAction(this ILogger logger, string analysis, string tablet, string note);

    [LoggerMessage(EventId = 3002, EventName = nameof(DetectionNotRecorded), Level = LogLevel.Error, Message = "not recovering {Analysis} on {Tablet}: could not record the detection: {Error}")]
    internal static partial void DetectionNotRecorded(this ILogger logger, Exception exception, string analysis, string tablet, string error);

    [LoggerMessage(EventId = 3003, EventName = nameof(RecoverySkippedGloballyDisabled), Level = LogLevel.Information, Message = "skipping {Recovery} for {Analysis} on {Tablet}: recoveries are disabled globally")]
    internal static partial void RecoverySkippedGloballyDisabled(this ILogger logger, string recovery, string analysis, string tablet);

    [LoggerMessage(EventId = 3032, EventName = nameof(RecoverySkippedScopeDisabled), Level = LogLevel.Information, Message = "skipping {Recovery} for {Analysis} on {Tablet}: {Disable}")]
    internal static partial void RecoverySkippedScopeDisabled(this ILogger logger, string recovery, string analysis, string tablet, string disable);

    [LoggerMessage(EventId = 3004, EventName = nameof(RecoverySkippedForPrimaryRecovery), Level = LogLevel.Information, Message = "aborting {Analysis} on {Tablet}, primary mitigation is required")]
    internal static partial void RecoverySkippedForPrimaryRecovery(this ILogger logger, string analysis, string tablet);

    [LoggerMessage(EventId = 3005, EventName = nameof(RecoveryNotStartedShuttingDown), Level = LogLevel.Information, Message = "not recovering {Analysis} on {Tablet}: can't lock shard {Keyspace}/{Shard}: SIGTERM received")]
    internal static partial void RecoveryNotStartedShuttingDown(this ILogger logger, string analysis, string tablet, string keyspace, string shard);

    [LoggerMessage(EventId = 3006, EventName = nameof(ShardLockHeldElsewhere), Level = LogLevel.Information, Message = "not recovering {Analysis} on {Tablet} now: shard {Keyspace}/{Shard} is locked by someone else ({Holder}); retrying next tick")]
    internal static partial void ShardLockHeldElsewhere(this ILogger logger, string analysis, string tablet, string keyspace, string shard, string holder);

    [LoggerMessage(EventId = 3007, EventName = nameof(ShardLockFailed), Level = LogLevel.Warning, Message = "not recovering {Analysis} on {Tablet} now: could not lock shard {Keyspace}/{Shard}: {Error}")]
    internal static partial void ShardLockFailed(this ILogger logger, string analysis, string tablet, string keyspace, string shard, string error);

    [LoggerMessage(EventId = 3008, EventName = nameof(ShardLockLostBeforeRecovery), Level = LogLevel.Warning, Message = "not recovering {Analysis} on {Tablet}: the shard lock of {Keyspace}/{Shard} was lost before the recovery started")]
    internal static partial void ShardLockLostBeforeRecovery(this ILogger logger, Exception exception, string analysis, string tablet, string keyspace, string shard);

    [LoggerMessage(EventId = 3009, EventName = nameof(RecoveryRefreshFailed), Level = LogLevel.Warning, Message = "not recovering {Analysis} on {Tablet}: refreshing shard {Keyspace}/{Shard} from the topo failed: {Error}")]
    internal static partial void RecoveryRefreshFailed(this ILogger logger, Exception exception, string analysis, string tablet, string keyspace, string shard, string error);

    [LoggerMessage(EventId = 3010, EventName = nameof(RecoveryNoPrimaryFound), Level = LogLevel.Warning, Message = "not recovering {Analysis} on {Tablet}: no primary tablet found in shard {Keyspace}/{Shard}")]
    internal static partial void RecoveryNoPrimaryFound(this ILogger logger, string analysis, string tablet, string keyspace, string shard);

    [LoggerMessage(EventId = 3011, EventName = nameof(RecoverySkippedStaleAnalysis), Level = LogLevel.Information, Message = "{Analysis} on {Tablet} is already fixed or changed (found after refreshing under the shard lock); skipping {Recovery}")]
    internal static partial void RecoverySkippedStaleAnalysis(this ILogger logger, string analysis, string tablet, string recovery);

    [LoggerMessage(EventId = 3012, EventName = nameof(RecoveryNotImplemented), Level = LogLevel.Warning, Message = "not recovering {Analysis} on {Tablet}: no implementation of {Recovery}")]
    internal static partial void RecoveryNotImplemented(this ILogger logger, string analysis, string tablet, string recovery);

    [LoggerMessage(EventId = 3013, EventName = nameof(RecoveryHasNoActions), Level = LogLevel.Debug, Message = "No actions in {Recovery} for {Analysis} on {Tablet}")]
    internal static partial void RecoveryHasNoActions(this ILogger logger, string recovery, string analysis, string tablet);

    [LoggerMessage(EventId = 3014, EventName = nameof(RecoveryShardUnknown), Level = LogLevel.Warning, Message = "not recovering {Analysis} on {Tablet}: shard {Keyspace}/{Shard} is no longer known")]
    internal static partial void RecoveryShardUnknown(this ILogger logger, string analysis, string tablet, string keyspace, string shard);

    [LoggerMessage(EventId = 3015, EventName = nameof(RecoveryRefused), Level = LogLevel.Information, Message = "not recovering {Analysis} on {Tablet} with {Recovery}: {Refusal}")]
    internal static partial void RecoveryRefused(this ILogger logger, string analysis, string tablet, string recovery, string refusal);

    [LoggerMessage(EventId = 3016, EventName = nameof(RecoveryNotRegistered), Level = LogLevel.Warning, Message = "not recovering {Analysis} on {Tablet}: could not register the recovery: {Error}")]
    internal static partial void RecoveryNotRegistered(this ILogger logger, Exception exception, string analysis, string tablet, string error);

    [LoggerMessage(EventId = 3017, EventName = nameof(RecoveryAlreadyActive), Level = LogLevel.Information, Message = "found an active or recent recovery on {Tablet}. Will not issue another {Recovery}.")]
    internal static partial void RecoveryAlreadyActive(this ILogger logger, string tablet, string recovery);

    [LoggerMessage(EventId = 3018, EventName = nameof(RecoveryStarted), Level = LogLevel.Information, Message = "recovery {RecoveryId}: starting {Recovery} for {Analysis} on {Tablet} in {Keyspace}/{Shard}")]
    internal static partial void RecoveryStarted(this ILogger logger, long recoveryId, string recovery, string analysis, string tablet, string keyspace, string shard);

    [LoggerMessage(EventId = 3019, EventName = nameof(RecoveryFailed), Level = LogLevel.Error, Message = "recovery {RecoveryId}: {Recovery} for {Analysis} on {Tablet} failed after {Seconds:0.###} s: {Error}")]
    internal static partial void RecoveryFailed(this ILogger logger, Exception exception, long recoveryId, string recovery, string analysis, string tablet, double seconds, string error);

    [LoggerMessage(EventId = 3020, EventName = nameof(RecoveryPromoted), Level = LogLevel.Information, Message = "recovery {RecoveryId}: {Recovery} for {Analysis} on {Tablet} promoted {Promoted} in {Seconds:0.###} s")]
    internal static partial void RecoveryPromoted(this ILogger logger, long recoveryId, string recovery, string analysis, string tablet, string promoted, double seconds);

    [LoggerMessage(EventId = 3021, EventName = nameof(RecoverySucceeded), Level = LogLevel.Information, Message = "recovery {RecoveryId}: {Recovery} for {Analysis} on {Tablet} succeeded in {Seconds:0.###} s")]
    internal static partial void RecoverySucceeded(this ILogger logger, long recoveryId, string recovery, string analysis, string tablet, double seconds);

    [LoggerMessage(EventId = 3022, EventName = nameof(RecoverySwitchesUnreadable), Level = LogLevel.Warning, Message = "could not read whether recoveries are disabled; going on with {Recovery} for {Analysis} on {Tablet}")]
    internal static partial void RecoverySwitchesUnreadable(this ILogger logger, Exception exception, string recovery, string analysis, string tablet);

    [LoggerMessage(EventId = 3023, EventName = nameof(LastRecoveryUnreadable), Level = LogLevel.Warning, Message = "could not read the last shard-wide recovery of {Keyspace}/{Shard}; not applying the recovery period block")]
    internal static partial void LastRecoveryUnreadable(this ILogger logger, Exception exception, string keyspace, string shard);

    [LoggerMessage(EventId = 3024, EventName = nameof(RecoveryNotBlockedAcknowledged), Level = LogLevel.Information, Message = "shard-wide recovery {RecoveryId} of {Keyspace}/{Shard} ended {Seconds:0.#} s ago but was acknowledged; not blocking {Recovery} for {Analysis} on {Tablet}")]
    internal static partial void RecoveryNotBlockedAcknowledged(this ILogger logger, long recoveryId, string keyspace, string shard, double seconds, string recovery, string analysis, string tablet);

    [LoggerMessage(EventId = 3025, EventName = nameof(RecoveryBlocked), Level = LogLevel.Information, Message = "blocking {Recovery} for {Analysis} on {Tablet}: shard-wide recovery {BlockingRecoveryId} ({BlockingAnalysis} on {BlockingTablet}) ended {Seconds:0.#} s ago, within --recovery-period-block-duration={Block:0.#} s; {Remaining:0.#} s remaining, or acknowledge recovery {AcknowledgeId} to allow it now")]
    internal static partial void RecoveryBlocked(this ILogger logger, string recovery, string analysis, string tablet, long blockingRecoveryId, string blockingAnalysis, string blockingTablet, double seconds, double block, double remaining, long acknowledgeId);

    [LoggerMessage(EventId = 3026, EventName = nameof(SkippedRecoveryNotStored), Level = LogLevel.Warning, Message = "could not store the skipped recovery of {Analysis} on {Tablet}")]
    internal static partial void SkippedRecoveryNotStored(this ILogger logger, Exception exception, string analysis, string tablet);

    [LoggerMessage(EventId = 3027, EventName = nameof(RecoveryEndNotStored), Level = LogLevel.Error, Message = "recovery {RecoveryId}: could not store its end")]
    internal static partial void RecoveryEndNotStored(this ILogger logger, Exception exception, long recoveryId);

    [LoggerMessage(EventId = 3028, EventName = nameof(DeadPrimaryProbeFailed), Level = LogLevel.Debug, Message = "probe of {Tablet}, not reached at its last poll, failed")]
    internal static partial void DeadPrimaryProbeFailed(this ILogger logger, Exception exception, string tablet);

    [LoggerMessage(EventId = 3029, EventName = nameof(ForcePollFailed), Level = LogLevel.Debug, Message = "force-poll of {Tablet} for {Analysis} on {Analysed} failed")]
    internal static partial void ForcePollFailed(this ILogger logger, Exception exception, string tablet, string analysis, string analysed);

    [LoggerMessage(EventId = 3030, EventName = nameof(RefreshAfterRecoveryFailed), Level = LogLevel.Warning, Message = "refresh of {Keyspace}/{Shard} after {Recovery} failed")]
    internal static partial void RefreshAfterRecoveryFailed(this ILogger logger, Exception exception, string keyspace, string shard, string recovery);

    [LoggerMessage(EventId = 3031, EventName = nameof(RecoveryStepNotStored), Level = LogLevel.Warning, Message = "recovery {RecoveryId}: could not store step \"{Message}\"")]
    internal static partial void RecoveryStepNotStored(this ILogger logger, Exception exception, long recoveryId, string message);

    [LoggerMessage(EventId = 3100, EventName = nameof(ShardDeferredLockHeld), Level = LogLevel.Debug, Message = "{Keyspace}/{Shard}: {Count} problem(s) not tried before {Retry:HH:mm:ss.fff}: another orchestrator held its lock at the last attempt")]
    internal static partial void ShardDeferredLockHeld(this ILogger logger, string keyspace, string shard, int count, DateTimeOffset retry);

    [LoggerMessage(EventId = 3101, EventName = nameof(ShardDeferredInFlight), Level = LogLevel.Debug, Message = "{Keyspace}/{Shard}: {Count} problem(s) left for a later tick: a recovery of this shard is still in flight here")]
    internal static partial void ShardDeferredInFlight(this ILogger logger, string keyspace, string shard, int count);

    [LoggerMessage(EventId = 3102, EventName = nameof(RecoveryWaitsForSlot), Level = LogLevel.Information, Message = "{Keyspace}/{Shard}: recovery waits for a slot: {Max} shard(s) are recovering (--max-concurrent-recoveries)")]
    internal static partial void RecoveryWaitsForSlot(this ILogger logger, string keyspace, string shard, int max);

    [LoggerMessage(EventId = 3103, EventName = nameof(RecoveryGotSlot), Level = LogLevel.Information, Message = "{Keyspace}/{Shard}: recovery got a slot")]
    internal static partial void RecoveryGotSlot(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 3104, EventName = nameof(RecoveryCancelledByShutdown), Level = LogLevel.Debug, Message = "{Keyspace}/{Shard}: recovery cancelled (shutdown)")]
    internal static partial void RecoveryCancelledByShutdown(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 3105, EventName = nameof(RecoveryDispatchFailed), Level = LogLevel.Error, Message = "{Keyspace}/{Shard}: recovery dispatch failed unexpectedly; retried at a later tick")]
    internal static partial void RecoveryDispatchFailed(this ILogger logger, Exception exception, string keyspace, string shard);

    [LoggerMessage(EventId = 3106, EventName = nameof(RecoveryEndHandlerFailed), Level = LogLevel.Error, Message = "{Keyspace}/{Shard}: a handler of the end of its recovery failed: {Error}")]
    internal static partial void RecoveryEndHandlerFailed(this ILogger logger, Exception exception, string keyspace, string shard, string error);

    [LoggerMessage(EventId = 3107, EventName = nameof(ProblemsLeftAfterShardWide), Level = LogLevel.Debug, Message = "{Keyspace}/{Shard}: {Left} other problem(s) left for the next tick after shard-wide {Analysis} on {Tablet}")]
    internal static partial void ProblemsLeftAfterShardWide(this ILogger logger, string keyspace, string shard, int left, string analysis, string tablet);

    [LoggerMessage(EventId = 3108, EventName = nameof(RecoveryCrashed), Level = LogLevel.Error, Message = "recovery of {Analysis} on {Tablet} in {Keyspace}/{Shard} failed unexpectedly")]
    internal static partial void RecoveryCrashed(this ILogger logger, Exception exception, string analysis, string tablet, string keyspace, string shard);

    [LoggerMessage(EventId = 3200, EventName = nameof(RecoveriesDisabled), Level = LogLevel.Warning, Message = "Recoveries disabled {Scope} (requested by {Who}, reason: {Reason}): problems are detected, not repaired")]
    internal static partial void RecoveriesDisabled(this ILogger logger, RecoveryScope scope, string who, string reason);

    [LoggerMessage(EventId = 3201, EventName = nameof(RecoveriesEnabled), Level = LogLevel.Warning, Message = "Recoveries enabled {Scope} (requested by {Who}; were disabled: {WasDisabled})")]
    internal static partial void RecoveriesEnabled(this ILogger logger, RecoveryScope scope, string who, bool wasDisabled);

    [LoggerMessage(EventId = 3202, EventName = nameof(RecoveriesDisabledByFlag), Level = LogLevel.Warning, Message = "Recoveries are disabled (--allow-recovery=false): problems are detected and shown, not repaired, until enabled through /api/enable-global-recoveries")]
    internal static partial void RecoveriesDisabledByFlag(this ILogger logger);

    [LoggerMessage(EventId = 3203, EventName = nameof(RecoveriesDisabledByHistory), Level = LogLevel.Warning, Message = "Recoveries are disabled: the history file {Store} remembers an earlier disable; enable them through /api/enable-global-recoveries")]
    internal static partial void RecoveriesDisabledByHistory(this ILogger logger, StoreLocation store);
}
