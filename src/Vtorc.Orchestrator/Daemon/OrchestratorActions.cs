using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>What the HTTP API may change in the daemon (<see cref="IOrchestratorActions"/>). Every change is logged and
/// written to the audit trail with who asked for it.</summary>
/// <param name="logger">The daemon's logger: the switches are logged under the category operators filter on.</param>
internal sealed class OrchestratorActions(HistoryStore store, RecoveryLoop recoveryLoop, OperatorReparents reparents, BestEffortAudit audit,
    TimeProvider time, ILogger logger) : IOrchestratorActions
{
    public Task DisableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) =>
        DisableRecoveriesAsync(RecoveryScope.Global, requestedBy, "", cancellationToken);

    public Task EnableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) =>
        EnableRecoveriesAsync(RecoveryScope.Global, requestedBy, cancellationToken);

    public async Task DisableRecoveriesAsync(RecoveryScope scope, string requestedBy, string reason, CancellationToken cancellationToken)
    {
        await store.DisableRecoveriesAsync(scope, requestedBy, reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        logger.RecoveriesDisabled(scope, requestedBy, reason);
        await audit.WriteAsync("disable-recoveries", "", scope.Keyspace, scope.Shard,
            $"Recoveries disabled {scope} (requested by {requestedBy}{(reason.Length == 0 ? "" : $": {reason}")}): problems are detected, not repaired")
            .ConfigureAwait(false);
    }

    public async Task<bool> EnableRecoveriesAsync(RecoveryScope scope, string requestedBy, CancellationToken cancellationToken)
    {
        bool wasDisabled = await store.EnableRecoveriesAsync(scope, cancellationToken).ConfigureAwait(false);
        logger.RecoveriesEnabled(scope, requestedBy, wasDisabled);
        await audit.WriteAsync("enable-recoveries", "", scope.Keyspace, scope.Shard,
            $"Recoveries enabled {scope} (requested by {requestedBy}){(wasDisabled ? "" : "; they were not disabled")}").ConfigureAwait(false);
        recoveryLoop.RequestAnalysis();
        return wasDisabled;
    }

    public async Task<int> AcknowledgeRecoveryAsync(long recoveryId, string acknowledgedBy, string comment, CancellationToken cancellationToken) =>
        await AnalyseIfAnyAsync(await store.AcknowledgeRecoveryAsync(recoveryId, acknowledgedBy, comment, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false), $"recovery {recoveryId}", "", "", acknowledgedBy, comment).ConfigureAwait(false);

    public async Task<int> AcknowledgeShardAsync(string keyspace, string shard, string acknowledgedBy, string comment,
        CancellationToken cancellationToken) =>
        await AnalyseIfAnyAsync(await store.AcknowledgeShardAsync(keyspace, shard, acknowledgedBy, comment, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false), $"the recoveries of shard {keyspace}/{shard}", keyspace, shard, acknowledgedBy, comment).ConfigureAwait(false);

    public async Task<ReparentResult> PlannedReparentAsync(string keyspace, string shard, string newPrimary, string requestedBy) =>
        AnalyseAfter(await reparents.PlannedAsync(keyspace, shard, newPrimary, requestedBy).ConfigureAwait(false));

    public async Task<ReparentResult> EmergencyReparentAsync(string keyspace, string shard, string? newPrimary, string requestedBy) =>
        AnalyseAfter(await reparents.EmergencyAsync(keyspace, shard, newPrimary, requestedBy).ConfigureAwait(false));

    /// <summary>The shard changed under the daemon's eyes: analyse it now rather than at the next tick. (The reparent
    /// audits itself: its entry must be written before shutdown closes the store.)</summary>
    private ReparentResult AnalyseAfter(ReparentResult result)
    {
        recoveryLoop.RequestAnalysis();
        return result;
    }

    private async Task<int> AnalyseIfAnyAsync(int acknowledged, string what, string keyspace, string shard, string by, string comment)
    {
        if (acknowledged > 0)
        {
            await audit.WriteAsync("ack-recovery", "", keyspace, shard,
                $"{acknowledged} recovery(ies) acknowledged ({what}) by {by}: {comment}").ConfigureAwait(false);
            // An acknowledged recovery no longer blocks its shard: look again now rather than at the next tick.
            recoveryLoop.RequestAnalysis();
        }
        return acknowledged;
    }
}
