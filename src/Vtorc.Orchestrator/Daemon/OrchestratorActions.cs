using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>What the HTTP API may change in the daemon (<see cref="IOrchestratorActions"/>).</summary>
/// <param name="logger">The daemon's logger: the switches are logged under the category operators filter on.</param>
internal sealed class OrchestratorActions(HistoryStore store, RecoveryLoop recoveryLoop, TimeProvider time, ILogger logger) : IOrchestratorActions
{
    public async Task DisableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken)
    {
        await store.DisableGlobalRecoveriesAsync(cancellationToken).ConfigureAwait(false);
        logger.GlobalRecoveriesDisabled(requestedBy);
    }

    public async Task EnableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken)
    {
        await store.EnableGlobalRecoveriesAsync(cancellationToken).ConfigureAwait(false);
        logger.GlobalRecoveriesEnabled(requestedBy);
        recoveryLoop.RequestAnalysis();
    }

    public async Task<int> AcknowledgeRecoveryAsync(long recoveryId, string acknowledgedBy, string comment, CancellationToken cancellationToken) =>
        AnalyseIfAny(await store.AcknowledgeRecoveryAsync(recoveryId, acknowledgedBy, comment, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false));

    public async Task<int> AcknowledgeShardAsync(string keyspace, string shard, string acknowledgedBy, string comment,
        CancellationToken cancellationToken) =>
        AnalyseIfAny(await store.AcknowledgeShardAsync(keyspace, shard, acknowledgedBy, comment, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false));

    private int AnalyseIfAny(int acknowledged)
    {
        if (acknowledged > 0)
        {
            // An acknowledged recovery no longer blocks its shard: look again now rather than at the next tick.
            recoveryLoop.RequestAnalysis();
        }
        return acknowledged;
    }
}
