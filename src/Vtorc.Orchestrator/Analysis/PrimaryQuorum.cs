using Topodata;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Whether a shard's replicas agree that its primary is down (EvaluatePrimaryQuorum in
/// go/vt/vtorc/inst/shard_peer_health.go, Vitess main): each REPLICA/RDONLY tablet (as it reports itself) whose last
/// poll carried a report about the primary is an observer; a report is fresh when it was taken within the freshness
/// and its last Ping attempt, aged to now, is too; a fresh observer votes "down" at the failure threshold. Down needs
/// enough fresh voters, a fresh majority of the shard's replicas, and the fraction of "down" votes. Pure: the time is
/// an argument.
/// </summary>
internal static class PrimaryQuorum
{
    /// <summary>Reports taken longer ago than this are forgotten (Vitess prunes them once a minute).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(1);

    public static QuorumVerdict Evaluate(ShardSnapshot snapshot, string primaryAlias, QuorumSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        int expected = snapshot.Tablets.Count(t => t.Type is TabletType.Replica or TabletType.Rdonly);
        if (primaryAlias.Length == 0)
        {
            return new QuorumVerdict(false, 0, 0, 0, expected, "no primary", []);
        }
        var observers = new List<QuorumObserverVote>();
        int fresh = 0;
        int down = 0;
        foreach (var tablet in snapshot.Tablets)
        {
            if (tablet.Alias == primaryAlias || !snapshot.Observations.TryGetValue(tablet.Alias, out var observation)
                || observation.SelfReportedType is not (TabletType.Replica or TabletType.Rdonly))
            {
                continue;
            }
            var ingestAge = now - observation.LastSeen;
            var report = observation.ShardPeerHealth.FirstOrDefault(r => r.PeerAlias == primaryAlias);
            if (report is null || ingestAge > Retention)
            {
                continue;
            }
            TimeSpan? pingAge = report.TimeSinceLastAttemptedPing
                ?? (report.LastAttemptedPing is { } attempted ? observation.LastSeen - attempted : null);
            bool isFresh = ingestAge <= settings.Freshness && pingAge is { } age && age >= TimeSpan.Zero
                && age + (ingestAge > TimeSpan.Zero ? ingestAge : TimeSpan.Zero) <= settings.Freshness;
            bool votesDown = isFresh && report.ConsecutivePingFailures >= settings.FailureThreshold;
            observers.Add(new QuorumObserverVote(tablet.Alias, observation.SelfReportedType, isFresh, report.ConsecutivePingFailures,
                !isFresh ? QuorumObserverVote.Stale : votesDown ? QuorumObserverVote.Down : QuorumObserverVote.Up));
            fresh += isFresh ? 1 : 0;
            down += votesDown ? 1 : 0;
        }
        observers.Sort((a, b) => string.CompareOrdinal(a.Alias, b.Alias));
        int eligible = observers.Count;
        // Unusable thresholds never say down (Vitess fails closed on a bad dynamic setting) but the votes are still shown.
        bool isDown = settings.Problem is null && fresh >= settings.MinObservers && fresh > 0 && 2 * fresh > Math.Max(expected, eligible)
            && (double)down / fresh >= settings.Fraction;
        string why = isDown ? "" : settings.Problem ?? (fresh < settings.MinObservers || fresh == 0 ? "too few fresh observers"
            : 2 * fresh <= Math.Max(expected, eligible) ? "fresh observers are not a majority of the shard's replicas"
            : "too few observers say the primary is down");
        return new QuorumVerdict(isDown, fresh, down, eligible, expected, why, observers);
    }
}
