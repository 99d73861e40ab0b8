using Vtorc.Orchestrator.Recovery;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// What the HTTP API may change in the running daemon (all ADMIN endpoints): the recovery switches, the
/// acknowledgement of recoveries and the operator's reparents. Kept apart from <see cref="IOrchestratorQueries"/> so
/// the pages that only read cannot reach these. Each change is logged and audited with who asked for it.
/// </summary>
public interface IOrchestratorActions
{
    /// <summary>Disables recoveries globally, for a keyspace or for a shard (recorded in the store with who and why).</summary>
    Task DisableRecoveriesAsync(RecoveryScope scope, string requestedBy, string reason, CancellationToken cancellationToken);

    /// <summary>Enables the recoveries of exactly that scope again; the shards are analysed again at once.</summary>
    /// <returns>Whether the scope was disabled.</returns>
    Task<bool> EnableRecoveriesAsync(RecoveryScope scope, string requestedBy, CancellationToken cancellationToken);

    /// <summary>
    /// PlannedReparentShard to <paramref name="newPrimary"/>, with the daemon's reparent code, settings and shard lock
    /// (not waiting for it). Not bounded by the caller: once started, it runs to its end.
    /// </summary>
    /// <exception cref="ActionConflictException">The shard is locked, the daemon is stopping, or the reparent refused or failed.</exception>
    Task<ReparentResult> PlannedReparentAsync(string keyspace, string shard, string newPrimary, string requestedBy);

    /// <summary>EmergencyReparentShard, as <see cref="PlannedReparentAsync"/>; ERS chooses when <paramref name="newPrimary"/> is null.</summary>
    Task<ReparentResult> EmergencyReparentAsync(string keyspace, string shard, string? newPrimary, string requestedBy);

    /// <summary><c>/api/disable-global-recoveries</c>: recorded in the store (kept across restarts with a file-backed store).</summary>
    Task DisableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken);

    /// <summary><c>/api/enable-global-recoveries</c>; the shards are analysed again at once.</summary>
    Task EnableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken);

    /// <summary>
    /// Acknowledges one finished recovery, which lifts the anti-flapping block of its shard; when one was
    /// acknowledged, the shards are analysed again at once.
    /// </summary>
    /// <returns>How many recoveries were acknowledged.</returns>
    Task<int> AcknowledgeRecoveryAsync(long recoveryId, string acknowledgedBy, string comment, CancellationToken cancellationToken);

    /// <summary>Acknowledges every finished recovery of a shard, as <see cref="AcknowledgeRecoveryAsync"/>.</summary>
    /// <returns>How many recoveries were acknowledged.</returns>
    Task<int> AcknowledgeShardAsync(string keyspace, string shard, string acknowledgedBy, string comment, CancellationToken cancellationToken);
}
