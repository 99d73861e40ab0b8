using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// The steps of the reparents a recovery runs (4000s), as the reparent reports them; the step's text is the one
/// stored in the recovery's history.
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class ReparentLogMessages
{
    [LoggerMessage(EventId = 4000, EventName = nameof(ReparentStepFailed), Level = LogLevel.Error, Message = "recovery {RecoveryId}: {Message}")]
    internal static partial void ReparentStepFailed(this ILogger logger, long recoveryId, string message);

    [LoggerMessage(EventId = 4001, EventName = nameof(ReparentStepWarning), Level = LogLevel.Warning, Message = "recovery {RecoveryId}: {Message}")]
    internal static partial void ReparentStepWarning(this ILogger logger, long recoveryId, string message);

    [LoggerMessage(EventId = 4002, EventName = nameof(ReparentStep), Level = LogLevel.Debug, Message = "recovery {RecoveryId}: {Message}")]
    internal static partial void ReparentStep(this ILogger logger, long recoveryId, string message);

    [LoggerMessage(EventId = 4003, EventName = nameof(ReparentStepSucceeded), Level = LogLevel.Debug, Message = "recovery {RecoveryId}: {Message}")]
    internal static partial void ReparentStepSucceeded(this ILogger logger, long recoveryId, string message);

    [LoggerMessage(EventId = 4004, EventName = nameof(ReparentCandidateRejected), Level = LogLevel.Debug, Message = "recovery {RecoveryId}: {Message}")]
    internal static partial void ReparentCandidateRejected(this ILogger logger, long recoveryId, string message);
}
