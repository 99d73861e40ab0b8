using Topodata;
using Vtorc.Protocol;

namespace Vtorc.Agent.Manager;

/// <summary>What a PRIMARY tablet's shard-sync loop does after one look at its shard (docs/reliability.md, "A primary
/// fences itself").</summary>
internal enum ShardSyncStep
{
    /// <summary>Still the primary, or cannot tell yet.</summary>
    Nothing,

    /// <summary>The shard record names a newer primary: fence, become a replica of it.</summary>
    DemoteToShardPrimary,

    /// <summary>Neither the topology nor any other tablet of the shard answered for the isolation bound: fence.</summary>
    FenceIsolated,
}

/// <summary>The decisions of <see cref="ShardSync"/>, pure so that they can be tested without a cluster.</summary>
internal static class ShardSyncDecision
{
    /// <summary>Failed rounds of peer probes an isolation fence needs besides the time.</summary>
    public const int MinFailedPeerRounds = 2;

    /// <summary>
    /// Decides for a tablet that serves as PRIMARY with term <paramref name="ownTerm"/>.
    /// </summary>
    /// <param name="self">This tablet.</param>
    /// <param name="ownTerm">This tablet's primary_term_start_time.</param>
    /// <param name="shard">The shard record read just now; null when it could not be read.</param>
    /// <param name="sinceContact">Time since the topology or another tablet of the shard last answered.</param>
    /// <param name="fenceAfter">The isolation bound; zero turns the isolation fence off.</param>
    /// <param name="knownPeers">Other tablets of the shard this tablet knows of, null when it could not read them yet.
    /// With none there is nobody to fail over to, and fencing would only stop the shard's writes; with none known,
    /// silence cannot be told from a topology outage (an agent restarted while etcd was slow fenced its primary).</param>
    /// <param name="failedPeerRounds">Rounds of peer probes since the last contact in which no peer answered. At least
    /// <see cref="MinFailedPeerRounds"/> are needed: time alone is not enough (a starved agent measures long silences
    /// without having asked anyone).</param>
    /// <param name="fencedSinceContact">The isolation fence already ran since the last contact.</param>
    public static ShardSyncStep Decide(TabletAlias self, Vttime.Time? ownTerm, Shard? shard, TimeSpan sinceContact, TimeSpan fenceAfter,
        int? knownPeers, int failedPeerRounds, bool fencedSinceContact)
    {
        ArgumentNullException.ThrowIfNull(self);
        if (shard is not null)
        {
            // A shard record that names another tablet with an older term is a promotion of ours not yet recorded
            // there (the promoted tablet writes the shard record after its own); only a newer term means we lost.
            return shard.PrimaryAlias is { } primary && !StartupRole.SameAlias(primary, self) && VtTime.Compare(ownTerm, shard.PrimaryTermStartTime) <= 0
                ? ShardSyncStep.DemoteToShardPrimary
                : ShardSyncStep.Nothing;
        }
        return fenceAfter > TimeSpan.Zero && sinceContact >= fenceAfter && knownPeers > 0 && failedPeerRounds >= MinFailedPeerRounds
               && !fencedSinceContact
            ? ShardSyncStep.FenceIsolated
            : ShardSyncStep.Nothing;
    }
}
