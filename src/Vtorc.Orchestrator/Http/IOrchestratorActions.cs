namespace Vtorc.Orchestrator.Http;

/// <summary>
/// What the HTTP API may change in the running daemon (all ADMIN endpoints): the global recovery switch and the
/// acknowledgement of recoveries. Kept apart from <see cref="IOrchestratorQueries"/> so the pages that only read
/// cannot reach these.
/// </summary>
public interface IOrchestratorActions
{
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
