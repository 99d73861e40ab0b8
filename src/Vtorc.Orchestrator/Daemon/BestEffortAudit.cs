using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The daemon's own audit entries (a forgotten tablet, the shutdown): written within a short deadline, and a failure
/// is a warning, never an error of the caller, since an entry is not worth stopping discovery or shutdown for.
/// </summary>
/// <param name="logger">The daemon's logger: the warnings keep the category operators filter on.</param>
internal sealed class BestEffortAudit(HistoryStore store, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan WriteDeadline = TimeSpan.FromSeconds(10);

    public async Task WriteAsync(string type, string alias, string keyspace, string shard, string message)
    {
        try
        {
            using var deadline = new CancellationTokenSource(WriteDeadline);
            await store.AuditAsync(type, alias, keyspace, shard, message, time.GetUtcNow(), deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or StoreException)
        {
            logger.AuditEntryNotWritten(type, alias, e.Message);
        }
    }
}
