using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// VTOrc's caretaking tick (ContinuousDiscovery in go/vt/vtorc/logic/vtorc.go), retention only: every interval the
/// history store drops the audit, detection and recovery rows older than <c>--audit-purge-duration</c>.
/// </summary>
/// <param name="auditPurgeDuration"><c>--audit-purge-duration</c> in force, read at each tick (it is dynamic).</param>
/// <param name="logger">The daemon's logger: the tick's lines keep the category operators filter on.</param>
internal sealed class CaretakingLoop(HistoryStore store, Func<TimeSpan> auditPurgeDuration, TimeProvider time, ILogger logger)
{
    /// <summary>One tick (the daemon runs it every interval on a <see cref="Protocol.Background.BackgroundLoop"/>).</summary>
    public async Task TickAsync(CancellationToken stopping)
    {
        try
        {
            var expired = await store.ExpireAsync(time.GetUtcNow(), auditPurgeDuration(), stopping).ConfigureAwait(false);
            logger.CaretakingDone(expired);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.CaretakingFailed(e);
        }
    }
}
