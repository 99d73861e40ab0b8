using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// The <c>/api/shard-tablet-health-quorum</c> document (Vitess main, go/vt/vtorc/server/api.go and
/// go/vt/vtorc/inst/shard_peer_health.go): one <c>QuorumResult</c> per shard whose tablets reported shard-peer health
/// within the retention, sorted by keyspace and shard, each evaluated by <see cref="PrimaryQuorum.Evaluate"/> for the
/// primary the shard record names, whether or not the detection is switched on. Go field names, one-space indent,
/// <c>Observers</c> <c>null</c> when empty (VTOrc appends to a nil slice); <c>[]</c> when no shard is observed.
/// </summary>
internal static class ShardQuorumJson
{
    public static string Write(IEnumerable<ShardSnapshot> snapshots, QuorumSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(settings);
        var observed = snapshots.Where(s => IsObserved(s, now))
            .OrderBy(s => s.Keyspace.Name, StringComparer.Ordinal).ThenBy(s => s.Shard.Shard, StringComparer.Ordinal).ToList();
        return GoJsonWriter.Render(writer =>
        {
            writer.WriteStartArray();
            foreach (var snapshot in observed)
            {
                var primary = snapshot.Shard.PrimaryAlias;
                var verdict = PrimaryQuorum.Evaluate(snapshot, primary, settings, now);
                writer.WriteStartObject();
                writer.WriteGoString("PrimaryAlias", primary);
                writer.WriteGoString("Keyspace", snapshot.Keyspace.Name);
                writer.WriteGoString("Shard", snapshot.Shard.Shard);
                writer.WriteBoolean("Down", verdict.IsDown);
                writer.WriteNumber("DownVotes", verdict.DownVotes);
                writer.WriteNumber("TotalObservers", verdict.FreshObservers);
                writer.WriteNumber("EligibleObservers", verdict.EligibleObservers);
                writer.WriteNumber("ExpectedObservers", verdict.ExpectedObservers);
                writer.WriteGoFloat("Fraction", settings.Fraction);
                writer.WriteNumber("MinObservers", settings.MinObservers);
                writer.WritePropertyName("Observers");
                if (verdict.Observers.Count == 0)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStartArray();
                    foreach (var vote in verdict.Observers)
                    {
                        writer.WriteStartObject();
                        writer.WriteGoString("Alias", vote.Alias);
                        writer.WriteGoString("TabletType", vote.TabletType.ToName());
                        writer.WriteBoolean("Fresh", vote.Fresh);
                        writer.WriteNumber("ConsecutiveFailures", vote.ConsecutiveFailures);
                        writer.WriteGoString("Vote", vote.Vote);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                writer.WriteGoTime("EvaluatedAt", now);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    /// <summary>Some tablet of the shard reported shard-peer health, about anyone, within the retention.</summary>
    private static bool IsObserved(ShardSnapshot snapshot, DateTimeOffset now) =>
        snapshot.Tablets.Any(t => snapshot.Observations.TryGetValue(t.Alias, out var o) && o.ShardPeerHealth.Count > 0
            && now - o.LastSeen <= PrimaryQuorum.Retention);
}
