using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// What the recovery pipeline records for operators (go/vt/vtorc/logic/topology_recovery_dao.go,
/// go/vt/vtorc/inst/audit_dao.go): detections, recoveries with their steps, skipped recoveries, and the switches
/// operators set (recovery switches, acknowledgements). Backed by the SQLite store.
/// </summary>
public interface IRecoveryHistory
{
    /// <summary>Stores a detection (<c>recovery_detection</c>) and returns its id.</summary>
    Task<long> RecordDetectionAsync(DetectionAnalysis analysis, DateTimeOffset detectedAt, CancellationToken cancellationToken);

    /// <summary>
    /// <c>AttemptRecoveryRegistration</c>: registers a recovery and returns its id, or null when the shard already has
    /// an active (not yet resolved) recovery in this process.
    /// </summary>
    Task<long?> TryRegisterRecoveryAsync(RecoveryRegistration registration, CancellationToken cancellationToken);

    /// <summary>Appends a step (<c>topology_recovery_steps</c>) to a registered recovery.</summary>
    Task AddRecoveryStepAsync(long recoveryId, DateTimeOffset at, string message, CancellationToken cancellationToken);

    /// <summary>Ends a registered recovery: end time, success, successor and errors.</summary>
    Task ResolveRecoveryAsync(RecoveryResolution resolution, CancellationToken cancellationToken);

    /// <summary>Stores why a detected problem was not recovered (after its detection was recorded).</summary>
    Task RecordSkippedRecoveryAsync(SkippedRecovery skipped, CancellationToken cancellationToken);

    /// <summary>The scopes an operator disabled recoveries for (globally, per keyspace, per shard).</summary>
    Task<IReadOnlyList<RecoveryDisable>> ReadRecoveryDisablesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The most recently ended shard-wide recovery of the shard with its acknowledgement state; null when none ended
    /// (the anti-flapping block reads it).
    /// </summary>
    Task<CompletedRecovery?> GetLastCompletedShardWideRecoveryAsync(string keyspace, string shard, CancellationToken cancellationToken);
}
