using Vtorc.Replication;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// What a successful poll computes from the other observations of the shard before it stores the new one
/// (vtorc-behaviour §1.8 step 5 and §6): replication depth, co-primary flag, ancestry UUIDs and errant GTIDs.
/// Pure: the poller passes the freshly polled observation and what it currently holds for the shard.
/// </summary>
public static class ErrantGtidDetector
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
        if (errant is null || errant.IsEmpty)
        {
            return withAttributes;
        }
        return withAttributes with { GtidErrant = errant.ToString(), GtidErrantCount = errant.Count };
    }

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
