using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The recovery pipeline's history, kept in the SQLite store. A skipped recovery has no table of its own in VTOrc's
/// schema; it becomes an audit entry of type <c>SkippedRecovery</c>, so operators find it with the rest of the trail.
/// </summary>
public sealed class StoreRecoveryHistory(HistoryStore store) : IRecoveryHistory
{
    public const string SkippedRecoveryAuditType = "SkippedRecovery";

    public Task<long> RecordDetectionAsync(DetectionAnalysis analysis, DateTimeOffset detectedAt, CancellationToken cancellationToken) =>
        store.RecordDetectionAsync(analysis.AnalyzedInstanceAlias, analysis.Analysis, analysis.AnalyzedKeyspace, analysis.AnalyzedShard,
            detectedAt, cancellationToken);

    public async Task<long?> TryRegisterRecoveryAsync(RecoveryRegistration registration, CancellationToken cancellationToken)
    {
        var result = await store.AttemptRecoveryRegistrationAsync(registration.TabletAlias, registration.Analysis.Analysis, registration.Keyspace,
            registration.Shard, registration.DetectionId, registration.StartedAt, cancellationToken).ConfigureAwait(false);
        return result.RecoveryId;
    }

    public Task AddRecoveryStepAsync(long recoveryId, DateTimeOffset at, string message, CancellationToken cancellationToken) =>
        store.AddRecoveryStepAsync(recoveryId, message, at, cancellationToken);

    public Task ResolveRecoveryAsync(RecoveryResolution resolution, CancellationToken cancellationToken) =>
        store.ResolveRecoveryAsync(resolution.RecoveryId,
            new RecoveryResult(resolution.IsSuccessful, resolution.SuccessorAlias ?? "", resolution.Errors), resolution.EndedAt, cancellationToken);

    public Task RecordSkippedRecoveryAsync(SkippedRecovery skipped, CancellationToken cancellationToken) =>
        store.AuditAsync(SkippedRecoveryAuditType, skipped.TabletAlias, skipped.Keyspace, skipped.Shard,
            $"{skipped.RecoveryName} for {skipped.Analysis} skipped ({skipped.Reason}): {skipped.Message}", skipped.At, cancellationToken);

    public Task<IReadOnlyList<RecoveryDisable>> ReadRecoveryDisablesAsync(CancellationToken cancellationToken) =>
        store.ReadRecoveryDisablesAsync(cancellationToken);

    public async Task<CompletedRecovery?> GetLastCompletedShardWideRecoveryAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        var record = await store.LastCompletedShardWideRecoveryAsync(keyspace, shard, cancellationToken).ConfigureAwait(false);
        return record is null ? null : new CompletedRecovery(record.RecoveryId, record.Alias, record.Analysis, record.EndRecovery, record.IsAcknowledged);
    }
}
