using Topodata;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// VTOrc's <c>shardPrimary()</c> (go/vt/vtorc/logic/tablet_discovery.go): the PRIMARY-typed tablet record with the
/// newest primary term start time, not the shard record's primary. Ties go to the smallest alias so the choice is
/// stable.
/// </summary>
internal static class ShardPrimary
{
    public static TabletRecord? Find(ShardSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        TabletRecord? best = null;
        foreach (var tablet in snapshot.Tablets)
        {
            if (tablet.Type != TabletType.Primary)
            {
                continue;
            }
            if (best is null || tablet.PrimaryTermStartTime > best.PrimaryTermStartTime
                || (tablet.PrimaryTermStartTime == best.PrimaryTermStartTime && string.CompareOrdinal(tablet.Alias, best.Alias) < 0))
            {
                best = tablet;
            }
        }
        return best;
    }

    /// <exception cref="RecoveryException">The shard has no PRIMARY-typed tablet.</exception>
    public static TabletRecord Require(ShardSnapshot snapshot) =>
        Find(snapshot) ?? throw new RecoveryException($"no primary tablet found in shard {snapshot.Keyspace.Name}/{snapshot.Shard.Shard}");
}
