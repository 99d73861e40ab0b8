using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The HTTP surface's log events (7100s).
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class HttpLogMessages
{
    [LoggerMessage(EventId = 7100, EventName = nameof(HttpListening), Level = LogLevel.Information, Message = "HTTP API and status page listening on {Address} (operator page {Page}, status page {Status}; security policy: {Policy})")]
    internal static partial void HttpListening(this ILogger logger, Uri address, Uri page, Uri status, SecurityPolicy policy);

    [LoggerMessage(EventId = 7101, EventName = nameof(HttpRequestTimedOut), Level = LogLevel.Warning, Message = "HTTP {Method} {Path} did not finish within {Deadline}")]
    internal static partial void HttpRequestTimedOut(this ILogger logger, string method, string path, TimeSpan deadline);

    [LoggerMessage(EventId = 7102, EventName = nameof(HttpRequestFailed), Level = LogLevel.Warning, Message = "HTTP {Method} {Path} failed: {Error}")]
    internal static partial void HttpRequestFailed(this ILogger logger, string method, string path, string error);

    [LoggerMessage(EventId = 7103, EventName = nameof(HttpRequestCrashed), Level = LogLevel.Error, Message = "HTTP {Method} {Path} failed unexpectedly")]
    internal static partial void HttpRequestCrashed(this ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 7104, EventName = nameof(PageEventsFleetLookFailed), Level = LogLevel.Warning, Message = "Operator page events: looking at the fleet failed: {Error}")]
    internal static partial void PageEventsFleetLookFailed(this ILogger logger, string error);
}
