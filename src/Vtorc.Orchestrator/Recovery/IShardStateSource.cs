using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// What the recovery pipeline needs from the daemon's discovery: the in-memory state of a shard and ways to make it
/// fresh before acting (pipeline steps 6, 8 and 13 of docs/operation-steps.md). Implementations must be thread-safe:
/// recoveries of different shards run concurrently.
/// </summary>
public interface IShardStateSource
{
    /// <summary>The current snapshot of the shard built from in-memory records and observations; null when unknown.</summary>
    ShardSnapshot? GetSnapshot(string keyspace, string shard);

    /// <summary>Re-reads the keyspace and shard records from the topo (durability, ERS switches, shard primary).</summary>
    Task RefreshShardAsync(string keyspace, string shard, CancellationToken cancellationToken);

    /// <summary>Re-reads the shard's tablet records from the topo (adds new ones, drops deleted ones).</summary>
    Task RefreshTabletsAsync(string keyspace, string shard, CancellationToken cancellationToken);

    /// <summary>
    /// Polls one tablet now (FullStatus) and stores the observation; an unreachable tablet is recorded as a failed
    /// check, not thrown.
    /// </summary>
    Task ForcePollAsync(string tabletAlias, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="ForcePollAsync"/>, on a new connection and within <paramref name="timeout"/>: for a primary
    /// believed dead, whose old connection may be stuck although the tablet answers again.
    /// </summary>
    Task ProbeOnNewConnectionAsync(string tabletAlias, TimeSpan timeout, CancellationToken cancellationToken) =>
        ForcePollAsync(tabletAlias, cancellationToken);
}
