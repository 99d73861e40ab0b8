using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The stats that summarise the in-memory state rather than count events (VTOrc's 1 s metrics tick): tablets per
/// shard, errant GTIDs, shards with emergency reparents disabled, recent discoveries, and the store's write counts.
/// </summary>
internal sealed class GaugeLoop(DiscoveryState state, InstancePoller poller, HistoryStore store, VtorcMetrics metrics)
{
    private long _auditWritesCounted;
    private long _changelogWritesCounted;
    private object? _tabletsCounted;

    /// <summary>One tick (the daemon runs it every interval on a <see cref="Protocol.Background.BackgroundLoop"/>).</summary>
    public void Update()
    {
        // Read before the tablets: a change between the two reads is counted again at the next tick.
        var version = state.TabletsVersion;
        var tablets = state.Tablets;
        if (!ReferenceEquals(version, _tabletsCounted))
        {
            // Grouping 10,000 tablets and relabelling 2,500 shards each second was a few percent of the daemon's CPU at fleet size.
            metrics.SetTabletsWatchedByShard(tablets.GroupBy(t => (t.Keyspace, t.Shard)).ToDictionary(g => g.Key, g => g.Count()));
            _tabletsCounted = version;
        }
        var errant = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tablet in tablets)
        {
            if (state.TryGetObservation(tablet.Alias) is { GtidErrantCount: > 0 } observation)
            {
                errant[tablet.Alias] = (int)Math.Min(observation.GtidErrantCount, int.MaxValue);
            }
        }
        metrics.SetErrantGtidCounts(errant);
        metrics.SetEmergencyReparentShardDisabled([.. state.Shards
            .Where(s => s.EmergencyReparentDisabled || state.TryGetKeyspace(s.Keyspace)?.EmergencyReparentDisabled == true)
            .Select(s => (s.Keyspace, s.Shard))]);
        metrics.SetDiscoveriesRecentCount(poller.RecentDiscoveryCount);
        // The store counts its own writes; the stats are counters, so only what happened since the last tick is added.
        long audits = store.AuditTrail.AuditWrites, changes = store.Changelog.AnalysisChangeWrites;
        metrics.CountAuditWrite(audits - Interlocked.Exchange(ref _auditWritesCounted, audits));
        metrics.CountAnalysisChangeWrite(changes - Interlocked.Exchange(ref _changelogWritesCounted, changes));
    }
}
