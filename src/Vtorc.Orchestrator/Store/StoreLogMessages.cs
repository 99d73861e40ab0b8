using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The history store's log events (7000s): the audit line and failed writes.
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class StoreLogMessages
{
    [LoggerMessage(EventId = 7000, EventName = nameof(ChangelogWriteFailed), Level = LogLevel.Error, Message = "recording analysis {Analysis} of {Alias} in the changelog failed")]
    internal static partial void ChangelogWriteFailed(this ILogger logger, Exception exception, string analysis, string alias);

    [LoggerMessage(EventId = 7001, EventName = nameof(AuditFileWriteFailed), Level = LogLevel.Error, Message = "writing to audit file \"{Path}\" failed; lost line: {Line}")]
    internal static partial void AuditFileWriteFailed(this ILogger logger, Exception exception, string path, string line);

    [LoggerMessage(EventId = 7002, EventName = nameof(AuditFileFlushFailed), Level = LogLevel.Error, Message = "flushing audit file \"{Path}\" failed")]
    internal static partial void AuditFileFlushFailed(this ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 7003, EventName = nameof(AuditBackendWriteFailed), Level = LogLevel.Error, Message = "writing audit entry to the backend failed: {Audit}")]
    internal static partial void AuditBackendWriteFailed(this ILogger logger, Exception exception, string audit);

    [LoggerMessage(EventId = 7004, EventName = nameof(AuditAfterStoreClosed), Level = LogLevel.Error, Message = "audit entry after the store closed: {Audit}")]
    internal static partial void AuditAfterStoreClosed(this ILogger logger, string audit);

    [LoggerMessage(EventId = 7005, EventName = nameof(AuditEntry), Level = LogLevel.Information, Message = "auditType:{AuditType} alias:{Alias} keyspace:{Keyspace} shard:{Shard} message:{Message}")]
    internal static partial void AuditEntry(this ILogger logger, string auditType, string alias, string keyspace, string shard, string message);

    [LoggerMessage(EventId = 7006, EventName = nameof(GlobalSwitchReadFailed), Level = LogLevel.Error, Message = "reading the global recovery switch failed; treating recoveries as enabled")]
    internal static partial void GlobalSwitchReadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7007, EventName = nameof(HistoryExpiryFailed), Level = LogLevel.Error, Message = "expiring old history failed")]
    internal static partial void HistoryExpiryFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7008, EventName = nameof(RecoveryStepWriteFailed), Level = LogLevel.Error, Message = "recording step of recovery {RecoveryId} failed: {Message}")]
    internal static partial void RecoveryStepWriteFailed(this ILogger logger, Exception exception, long recoveryId, string message);

    [LoggerMessage(EventId = 7009, EventName = nameof(RecoveryToResolveMissing), Level = LogLevel.Error, Message = "resolving recovery {RecoveryId} failed: no such recovery")]
    internal static partial void RecoveryToResolveMissing(this ILogger logger, long recoveryId);

    [LoggerMessage(EventId = 7010, EventName = nameof(RecoveryResolveFailed), Level = LogLevel.Error, Message = "resolving recovery {RecoveryId} failed")]
    internal static partial void RecoveryResolveFailed(this ILogger logger, Exception exception, long recoveryId);

    [LoggerMessage(EventId = 7011, EventName = nameof(OperatorReparentWriteFailed), Level = LogLevel.Error, Message = "recording {What} of {Reparent} failed; the reparent itself goes on")]
    internal static partial void OperatorReparentWriteFailed(this ILogger logger, Exception exception, string what, string reparent);
}
