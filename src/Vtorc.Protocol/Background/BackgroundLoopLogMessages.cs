using Microsoft.Extensions.Logging;

namespace Vtorc.Protocol.Background;

/// <summary>
/// The log events of <see cref="BackgroundLoop"/> (6100s, beside the daemon's 6000s): every background loop of the
/// daemon and the agent reports its own end through them.
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class BackgroundLoopLogMessages
{
    [LoggerMessage(EventId = 6100, EventName = nameof(BackgroundLoopFailed), Level = LogLevel.Error, Message = "Background loop {Loop} ended with an error: {Error}")]
    internal static partial void BackgroundLoopFailed(this ILogger logger, Exception exception, string loop, string error);

    [LoggerMessage(EventId = 6101, EventName = nameof(BackgroundLoopTickFailed), Level = LogLevel.Error, Message = "Background loop {Loop}: a tick failed ({Error}); continuing at the next one")]
    internal static partial void BackgroundLoopTickFailed(this ILogger logger, Exception exception, string loop, string error);

    [LoggerMessage(EventId = 6102, EventName = nameof(BackgroundLoopStopTimedOut), Level = LogLevel.Warning, Message = "Background loop {Loop} did not stop within {Bound}; leaving it to end on its own")]
    internal static partial void BackgroundLoopStopTimedOut(this ILogger logger, string loop, TimeSpan bound);
}
