using System.Collections.Concurrent;
using Vtorc.Orchestrator.Http.Ui;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// A number per shard that grows each time what the store holds of the shard's operator reparents changes (one
/// started, a step, its end), so the page's change feed notices them without reading the store every second. Only
/// this process records operator reparents in its store, so its own count is the whole story.
/// </summary>
internal sealed class OperatorReparentRevisions
{
    private readonly ConcurrentDictionary<string, int> _revisions = new(StringComparer.Ordinal);

    public void Changed(string keyspace, string shard) =>
        _revisions.AddOrUpdate(FleetFingerprint.Key(keyspace, shard), 1, (_, revision) => revision + 1);

    /// <summary>Keyed by <see cref="FleetFingerprint.Key"/>; only shards that had one since the daemon started.</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_revisions, StringComparer.Ordinal);
}
