using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// The recovery side's view of discovery: snapshots from <see cref="DiscoveryState"/> (one shard for the pipeline, all
/// of them for the recovery tick and the HTTP queries), refreshes and polls on demand.
/// </summary>
internal sealed class DiscoveryShardStateSource : IShardStateSource, IShardSnapshots
{
    private readonly DiscoveryState _state;
    private readonly TopologyRefresher _refresher;
    private readonly InstancePoller _poller;
    private readonly DurabilityPolicyRegistry _policies;

    public DiscoveryShardStateSource(DiscoveryState state, TopologyRefresher refresher, InstancePoller poller, DurabilityPolicyRegistry policies)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _refresher = refresher ?? throw new ArgumentNullException(nameof(refresher));
        _poller = poller ?? throw new ArgumentNullException(nameof(poller));
        _policies = policies ?? throw new ArgumentNullException(nameof(policies));
    }

    public ShardSnapshot? GetSnapshot(string keyspace, string shard) => _state.Snapshot(keyspace, shard, _policies);

    public IReadOnlyList<ShardSnapshot> GetSnapshots(string? keyspace = null) => _state.Snapshots(_policies, keyspace);

    public Task RefreshShardAsync(string keyspace, string shard, CancellationToken cancellationToken) =>
        _refresher.RefreshShardAsync(keyspace, shard, cancellationToken);

    public Task RefreshTabletsAsync(string keyspace, string shard, CancellationToken cancellationToken) =>
        _refresher.RefreshTabletsOfShardAsync(keyspace, shard, cancellationToken);

    public Task ForcePollAsync(string tabletAlias, CancellationToken cancellationToken) =>
        _poller.ForcePollAsync(tabletAlias, cancellationToken);

    public Task ProbeOnNewConnectionAsync(string tabletAlias, TimeSpan timeout, CancellationToken cancellationToken) =>
        _poller.ProbeOnNewConnectionAsync(tabletAlias, timeout, cancellationToken);
}
