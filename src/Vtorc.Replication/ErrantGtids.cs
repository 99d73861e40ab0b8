namespace Vtorc.Replication;

/// <summary>
/// Errant GTID detection as VTOrc does it on every poll (detectErrantGTIDs in go/vt/vtorc/inst/instance_dao.go), plus
/// the "transactions nobody else has" question ERS asks of its candidates (docs/operation-steps.md, ERS step 10).
/// </summary>
public static class ErrantGtids
{
    /// <summary>
    /// Step 1: the ancestry string of a tablet — its source's ancestry followed by its own UUID, or for a
    /// co-primary its source's UUID followed by its own; leading and trailing commas trimmed.
    /// </summary>
    public static string BuildAncestry(string? sourceAncestry, string? sourceUuid, string ownUuid, bool isCoPrimary)
    {
        ArgumentNullException.ThrowIfNull(ownUuid);
        string prefix = isCoPrimary ? sourceUuid ?? "" : sourceAncestry ?? "";
        return (prefix + "," + ownUuid).Trim(',');
    }

    /// <summary>Parses a comma-separated ancestry string; empty parts are skipped.</summary>
    /// <exception cref="FormatException">A part is not a UUID; the message quotes the whole ancestry.</exception>
    public static IReadOnlyList<ServerUuid> ParseAncestry(string ancestry)
    {
        ArgumentNullException.ThrowIfNull(ancestry);
        var result = new List<ServerUuid>();
        foreach (var range in ancestry.AsSpan().Split(','))
        {
            var part = ancestry.AsSpan(range.Start.Value, range.End.Value - range.Start.Value).Trim();
            if (part.IsEmpty)
            {
                continue;
            }
            if (!ServerUuid.TryParse(part, out var uuid, out var problem))
            {
                throw new FormatException($"Invalid replication ancestry \"{ancestry}\": '{part.ToString()}' {problem}.");
            }
            result.Add(uuid);
        }
        return result;
    }

    /// <summary>
    /// Step 4. When both <paramref name="replicaExecuted"/> and <paramref name="baseExecuted"/> are non-empty:
    /// remove from the replica's set every ancestry UUID other than its own (its own too when it is a co-primary);
    /// if anything remains, remove <paramref name="replicaSourceUuid"/> from the base and return remaining − base.
    /// Otherwise the empty set.
    /// </summary>
    public static GtidSet Compute(GtidSet replicaExecuted, ServerUuid replicaServerUuid, IEnumerable<ServerUuid> ancestry,
        bool isCoPrimary, GtidSet baseExecuted, ServerUuid? replicaSourceUuid)
    {
        ArgumentNullException.ThrowIfNull(replicaExecuted);
        ArgumentNullException.ThrowIfNull(ancestry);
        ArgumentNullException.ThrowIfNull(baseExecuted);
        if (replicaExecuted.IsEmpty || baseExecuted.IsEmpty)
        {
            return GtidSet.Empty;
        }
        var remaining = replicaExecuted;
        foreach (var uuid in ancestry)
        {
            if (uuid != replicaServerUuid || isCoPrimary)
            {
                remaining = remaining.RemoveUuid(uuid);
            }
        }
        if (remaining.IsEmpty)
        {
            return GtidSet.Empty;
        }
        var comparisonBase = replicaSourceUuid is { } source ? baseExecuted.RemoveUuid(source) : baseExecuted;
        return remaining.Subtract(comparisonBase);
    }

    /// <summary>
    /// Step 3: the executed set to compare against — normally the source's; the shard primary's instead when
    /// the shard primary is known and not replicating, and either this tablet replicates from nobody and has no
    /// base, or its source is not the shard primary. Null when there is nothing to compare against.
    /// </summary>
    public static GtidSet? ChooseComparisonBase(ErrantGtidObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var comparisonBase = observation.SourceExecuted;
        bool hasBase = comparisonBase is { IsEmpty: false };
        if (observation.ShardPrimaryExecuted is { } primaryExecuted && !observation.ShardPrimaryReplicates
            && ((!observation.ReplicatesFromSomeone && !hasBase) || (observation.ReplicatesFromSomeone && !observation.SourceIsShardPrimary)))
        {
            return primaryExecuted;
        }
        return comparisonBase;
    }

    /// <summary>Steps 2–4: the errant set of one polled tablet (empty for the shard primary and when nothing can be compared).</summary>
    public static GtidSet Detect(ErrantGtidObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.IsShardPrimary)
        {
            return GtidSet.Empty;
        }
        var comparisonBase = ChooseComparisonBase(observation);
        if (comparisonBase is null)
        {
            return GtidSet.Empty;
        }
        return Compute(observation.Executed, observation.ServerUuid, observation.Ancestry, observation.IsCoPrimary,
            comparisonBase, observation.SourceUuid);
    }

    /// <summary>
    /// ERS's question (ERS step 10): the transactions of <paramref name="candidate"/> that none of
    /// <paramref name="others"/> has, after discounting <paramref name="discountUuid"/> (the candidate's own
    /// replication source UUID when comparing equally long reparent journals; null for no discount).
    /// </summary>
    public static GtidSet NotPresentElsewhere(GtidSet candidate, IEnumerable<GtidSet> others, ServerUuid? discountUuid)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(others);
        var remaining = discountUuid is { } uuid ? candidate.RemoveUuid(uuid) : candidate;
        foreach (var other in others)
        {
            if (remaining.IsEmpty)
            {
                break;
            }
            remaining = remaining.Subtract(other);
        }
        return remaining;
    }
}
