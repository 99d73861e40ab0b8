using Vtorc.Replication;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// What a successful poll computes from the other observations of the shard before it stores the new one
/// (ReadInstanceClusterAttributes and detectErrantGTIDs in go/vt/vtorc/inst/instance_dao.go): replication depth,
/// co-primary flag, ancestry UUIDs and errant GTIDs. Pure: the poller passes the freshly polled observation and what it
/// currently holds for the shard.
/// </summary>
internal static class ErrantGtidDetector
{
    /// <param name="polled">The observation just built by <see cref="InstanceObservation.FromFullStatus"/>.</param>
    /// <param name="shardPrimaryAlias">The primary alias of the shard record (empty when none).</param>
    /// <param name="shardObservations">The stored observations of the shard's tablets (an older one of <paramref name="polled"/> is ignored).</param>
    /// <returns><paramref name="polled"/> with the cluster attributes and errant GTID fields filled.</returns>
    public static InstanceObservation Apply(InstanceObservation polled, string shardPrimaryAlias,
        IEnumerable<InstanceObservation> shardObservations)
    {
        ArgumentNullException.ThrowIfNull(polled);
        ArgumentNullException.ThrowIfNull(shardPrimaryAlias);
        ArgumentNullException.ThrowIfNull(shardObservations);

        bool replicatesFromSomeone = !polled.ReplicatesFromNobody;
        InstanceObservation? source = null;
        InstanceObservation? shardPrimary = null;
        foreach (var other in shardObservations)
        {
            if (other is null || string.Equals(other.Alias, polled.Alias, StringComparison.Ordinal))
            {
                continue;
            }
            if (source is null && replicatesFromSomeone && other.Port == polled.SourcePort
                && string.Equals(other.Hostname, polled.SourceHost, StringComparison.Ordinal))
            {
                source = other;
            }
            if (shardPrimary is null && shardPrimaryAlias.Length != 0 && string.Equals(other.Alias, shardPrimaryAlias, StringComparison.Ordinal))
            {
                shardPrimary = other;
            }
        }

        bool isCoPrimary = source is not null && source.SourcePort == polled.Port
            && string.Equals(source.SourceHost, polled.Hostname, StringComparison.Ordinal);
        string ancestry = ErrantGtids.BuildAncestry(source?.AncestryUuid, source?.ServerUuid, polled.ServerUuid, isCoPrimary);
        var withAttributes = polled with
        {
            ReplicationDepth = source is null ? 0 : source.ReplicationDepth + 1,
            IsCoPrimary = isCoPrimary,
            AncestryUuid = ancestry,
            GtidErrant = "",
            GtidErrantCount = 0,
        };
        if (string.Equals(polled.Alias, shardPrimaryAlias, StringComparison.Ordinal))
        {
            return withAttributes;
        }

        var errant = Detect(withAttributes, source, shardPrimary, replicatesFromSomeone);
        if (errant is not null && !errant.IsEmpty)
        {
            return withAttributes with { GtidErrant = errant.ToString(), GtidErrantCount = errant.Count };
        }
        if (DetectMariaDb(withAttributes, shardPrimary, replicatesFromSomeone) is { } mariaDb)
        {
            return withAttributes with { GtidErrant = mariaDb.Text, GtidErrantCount = mariaDb.Count };
        }
        return withAttributes;
    }

    /// <summary>
    /// Our extension for MariaDB, which VTOrc does not check: a MariaDB position keeps only the last GTID per domain,
    /// so the one errant write it can show is the replica's own — a GTID carrying the replica's server_id whose
    /// sequence the shard primary has not reached (or in a domain the primary never had). Writes of other servers
    /// are left alone: a primary observation a poll older than the replica's would otherwise look like errant GTIDs.
    /// When both report MariaDB's binlog state (our FullStatus extension), the per-writer comparison of
    /// <see cref="MariaDbDivergence.AgainstPrimary"/> is used instead; it sees errant writes whose sequence is below the
    /// primary's, which the position comparison cannot. The count is then the number of writers with such GTIDs.
    /// </summary>
    private static (string Text, long Count)? DetectMariaDb(InstanceObservation polled, InstanceObservation? shardPrimary, bool replicatesFromSomeone)
    {
        if (shardPrimary is null || !replicatesFromSomeone)
        {
            return null;
        }
        if (shardPrimary.ReplicatesFromNobody
            && MariaDbBinlogState.TryParse(polled.GtidBinlogState) is { } state && MariaDbBinlogState.TryParse(shardPrimary.GtidBinlogState) is { } primaryState)
        {
            // Both sides report their binlog state (our agents): compare per writer, which also finds the server's own
            // transactions below the primary's sequence. Only against an observation of the primary taken while it
            // acted as one: a new primary's last observation as a replica may predate the catch-up of its promotion.
            var diverged = MariaDbDivergence.AgainstPrimary(state, primaryState, shardPrimary.ServerId);
            return diverged.Count == 0 ? null : (string.Join(",", diverged), diverged.Count);
        }
        if (polled.ServerId == 0
            || ParseMariaDb(polled.ExecutedGtidSet) is not { } executed || ParseMariaDb(shardPrimary.ExecutedGtidSet) is not { } primary)
        {
            return null;
        }
        var errant = new List<MariaDbGtid>();
        long count = 0;
        foreach (var gtid in executed.Gtids)
        {
            if (gtid.Server != polled.ServerId)
            {
                continue;
            }
            var reached = primary.ForDomain(gtid.Domain);
            if (reached is { } r && r.Sequence >= gtid.Sequence)
            {
                continue;
            }
            errant.Add(gtid);
            count += reached is { } behind ? (long)Math.Min(gtid.Sequence - behind.Sequence, long.MaxValue) : 1;
        }
        return errant.Count == 0 ? null : (string.Join(",", errant), count);
    }

    private static MariaDbGtidPosition? ParseMariaDb(string position) =>
        position.Length != 0 && ReplicationPosition.TryParse(position, out var parsed, out _) && parsed?.Flavor == PositionFlavor.MariaDb
            ? parsed.MariaDb
            : null;

    private static GtidSet? Detect(InstanceObservation polled, InstanceObservation? source, InstanceObservation? shardPrimary,
        bool replicatesFromSomeone)
    {
        // Errant GTIDs are a MySQL56 notion; other flavours (MariaDB, file positions) are not checked.
        if (ParseGtidSet(polled.ExecutedGtidSet) is not { } executed
            || !ServerUuid.TryParse(polled.ServerUuid, out var serverUuid)
            || !TryParseAncestry(polled.AncestryUuid, out var ancestry))
        {
            return null;
        }
        ServerUuid? sourceUuid = ServerUuid.TryParse(polled.SourceUuid, out var parsedSource) ? parsedSource : null;
        bool sourceIsShardPrimary = false;
        if (shardPrimary is not null && replicatesFromSomeone)
        {
            sourceIsShardPrimary = polled.SourceUuid.Length != 0 && shardPrimary.ServerUuid.Length != 0
                ? sourceUuid is { } s && ServerUuid.TryParse(shardPrimary.ServerUuid, out var primaryUuid) && s == primaryUuid
                : shardPrimary.Port == polled.SourcePort && string.Equals(shardPrimary.Hostname, polled.SourceHost, StringComparison.Ordinal);
        }
        var observation = new ErrantGtidObservation
        {
            Executed = executed,
            ServerUuid = serverUuid,
            Ancestry = ancestry,
            IsCoPrimary = polled.IsCoPrimary,
            IsShardPrimary = false,
            ReplicatesFromSomeone = replicatesFromSomeone,
            SourceUuid = sourceUuid,
            SourceExecuted = source is null ? null : ParseGtidSet(source.ExecutedGtidSet),
            SourceIsShardPrimary = sourceIsShardPrimary,
            ShardPrimaryExecuted = shardPrimary is null ? null : ParseGtidSet(shardPrimary.ExecutedGtidSet),
            ShardPrimaryReplicates = shardPrimary is not null && !shardPrimary.ReplicatesFromNobody,
        };
        return ErrantGtids.Detect(observation);
    }

    private static GtidSet? ParseGtidSet(string position)
    {
        if (position.Length == 0 || !ReplicationPosition.TryParse(position, out var parsed, out _))
        {
            return null;
        }
        return parsed?.Flavor == PositionFlavor.MySql56 ? parsed.GtidSet : null;
    }

    private static bool TryParseAncestry(string ancestry, out IReadOnlyList<ServerUuid> uuids)
    {
        var list = new List<ServerUuid>();
        foreach (var range in ancestry.AsSpan().Split(','))
        {
            var part = ancestry.AsSpan()[range].Trim();
            if (part.IsEmpty)
            {
                continue;
            }
            if (!ServerUuid.TryParse(part, out var uuid))
            {
                uuids = [];
                return false;
            }
            list.Add(uuid);
        }
        uuids = list;
        return true;
    }
}
