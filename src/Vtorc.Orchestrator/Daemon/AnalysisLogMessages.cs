using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The analysis's log events (2000s): a problem detected or gone, a shard not analysed, an early analysis.
/// Every id, and what an operator does about it, is in docs/log-events.md; an id never changes meaning.
/// </summary>
internal static partial class AnalysisLogMessages
{
    [LoggerMessage(EventId = 2000, EventName = nameof(ProblemDetected), Level = LogLevel.Information, Message = "Detected {Analysis} on {Tablet} in {Keyspace}/{Shard}{Was}: {Description}")]
    internal static partial void ProblemDetected(this ILogger logger, string analysis, string tablet, string keyspace, string shard, string was, string description);

    [LoggerMessage(EventId = 2001, EventName = nameof(ProblemCleared), Level = LogLevel.Information, Message = "Problem {Analysis} on {Tablet} is gone")]
    internal static partial void ProblemCleared(this ILogger logger, string analysis, string tablet);

    [LoggerMessage(EventId = 2002, EventName = nameof(ShardNotAnalysed), Level = LogLevel.Information, Message = "Not analysing {Keyspace}/{Shard}: {Reason}")]
    internal static partial void ShardNotAnalysed(this ILogger logger, string keyspace, string shard, string reason);

    [LoggerMessage(EventId = 2003, EventName = nameof(ShardAnalysedAgain), Level = LogLevel.Information, Message = "Analysing {Keyspace}/{Shard} again")]
    internal static partial void ShardAnalysedAgain(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 2004, EventName = nameof(AnalysisAfterRecoveryEnded), Level = LogLevel.Debug, Message = "Analysing now instead of at the next tick: the recovery of {Keyspace}/{Shard} ended while problems of it waited")]
    internal static partial void AnalysisAfterRecoveryEnded(this ILogger logger, string keyspace, string shard);

    [LoggerMessage(EventId = 2005, EventName = nameof(AnalysisRequestedEarly), Level = LogLevel.Information, Message = "Analysing {Keyspace}/{Shard} now instead of at the next tick: {Reason}")]
    internal static partial void AnalysisRequestedEarly(this ILogger logger, string keyspace, string shard, string reason);

    [LoggerMessage(EventId = 2006, EventName = nameof(AnalysisPassTimed), Level = LogLevel.Debug, Message = "Analysis pass over {Shards} shards took {Milliseconds:F2} ms")]
    internal static partial void AnalysisPassTimed(this ILogger logger, int shards, double milliseconds);

    [LoggerMessage(EventId = 2007, EventName = nameof(ShardsAwaitingFirstPoll), Level = LogLevel.Information, Message = "Not analysing {Shards} shard(s) yet: they have tablets whose first poll has not ended (for example {Keyspace}/{Shard}: {Reason})")]
    internal static partial void ShardsAwaitingFirstPoll(this ILogger logger, int shards, string keyspace, string shard, string reason);

    [LoggerMessage(EventId = 2008, EventName = nameof(FirstPollsEnded), Level = LogLevel.Information, Message = "Every shard that waited for its tablets' first poll is analysed now (up to {Shards} shard(s) waited at once)")]
    internal static partial void FirstPollsEnded(this ILogger logger, int shards);
}
