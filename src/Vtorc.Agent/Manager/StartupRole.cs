using Topodata;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Agent.Manager;

/// <summary>What a starting agent serves as, decided from the topology alone.</summary>
/// <param name="Type">The type to write into the Tablet record.</param>
/// <param name="PrimaryTermStartTime">The term start to write (PRIMARY only).</param>
/// <param name="ClaimShard">Write this tablet and its term into the Shard record (its term is the newest).</param>
/// <param name="DemoteFrom">Set when this tablet was a primary that lost its shard to this newer primary:
/// make mysqld read-only and replicate from it.</param>
/// <param name="Reason">One sentence for the log.</param>
public sealed record StartupRole(TabletType Type, Vttime.Time? PrimaryTermStartTime, bool ClaimShard, TabletAlias? DemoteFrom, string Reason)
{
    /// <summary>
    /// The role of tablet <paramref name="self"/> given its previous record (null when new) and its shard record
    /// (as vttablet does, go/vt/vttablet/tabletmanager/tm_init.go and shard_sync.go: a primary whose term is older than the shard's
    /// demotes itself).
    /// </summary>
    public static StartupRole Decide(TabletAlias self, Tablet? previous, Shard shard, TabletType initialType)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(shard);
        var shardPrimary = shard.PrimaryAlias;
        var ownTerm = previous is { Type: TabletType.Primary } ? previous.PrimaryTermStartTime : null;
        if (shardPrimary is not null && SameAlias(shardPrimary, self))
        {
            var term = VtTime.Compare(ownTerm, shard.PrimaryTermStartTime) > 0 ? ownTerm : shard.PrimaryTermStartTime;
            return new StartupRole(TabletType.Primary, term?.Clone(), ClaimShard: false, DemoteFrom: null,
                "the shard record names this tablet as its primary");
        }
        if (previous is not { Type: TabletType.Primary })
        {
            return new StartupRole(initialType, null, ClaimShard: false, DemoteFrom: null,
                $"starting as the initial type {initialType.ToName()}");
        }
        if (shardPrimary is null)
        {
            return new StartupRole(TabletType.Primary, ownTerm?.Clone(), ClaimShard: true, DemoteFrom: null,
                "this tablet was PRIMARY and the shard record names no primary");
        }
        if (ownTerm is not null && VtTime.Compare(ownTerm, shard.PrimaryTermStartTime) > 0)
        {
            return new StartupRole(TabletType.Primary, ownTerm.Clone(), ClaimShard: true, DemoteFrom: null,
                $"this tablet's primary term is newer than that of {shardPrimary.ToText()} in the shard record");
        }
        return new StartupRole(initialType, null, ClaimShard: false, DemoteFrom: shardPrimary.Clone(),
            $"this tablet was PRIMARY but the shard record names {shardPrimary.ToText()} with a newer term");
    }

    public static bool SameAlias(TabletAlias? a, TabletAlias? b) =>
        a is not null && b is not null && a.Cell == b.Cell && a.Uid == b.Uid;
}
