using Topodata;
using Vtorc.Agent.Manager;
using Vtorc.Topo;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>What a PRIMARY tablet's shard-sync loop decides from one look at its shard (pure).</summary>
public sealed class ShardSyncDecisionTests
{
    private static readonly TabletAlias Self = TabletAliases.Create("zone1", 100);
    private static readonly TabletAlias Other = TabletAliases.Create("zone1", 101);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static Vttime.Time At(long seconds) => new() { Seconds = seconds };

    private static ShardSyncStep Decide(Shard? shard, long ownTerm = 50, double silenceSeconds = 0, int? peers = 2, bool fenced = false,
        TimeSpan? bound = null, int failedRounds = ShardSyncDecision.MinFailedPeerRounds) =>
        ShardSyncDecision.Decide(Self, At(ownTerm), shard, TimeSpan.FromSeconds(silenceSeconds), bound ?? Bound, peers, failedRounds, fenced);

    [Fact]
    public void A_shard_that_names_this_tablet_needs_nothing() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(new Shard { PrimaryAlias = Self, PrimaryTermStartTime = At(50) }));

    [Fact]
    public void A_shard_that_names_another_primary_with_a_newer_term_demotes_this_one() =>
        Assert.Equal(ShardSyncStep.DemoteToShardPrimary, Decide(new Shard { PrimaryAlias = Other, PrimaryTermStartTime = At(60) }));

    [Fact]
    public void A_shard_that_names_another_primary_with_an_older_term_is_a_promotion_of_this_tablet_not_yet_recorded() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(new Shard { PrimaryAlias = Other, PrimaryTermStartTime = At(40) }));

    [Fact]
    public void A_shard_without_a_primary_needs_nothing() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(new Shard()));

    [Fact]
    public void Silence_shorter_than_the_bound_is_waited_out() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(shard: null, silenceSeconds: 1.9));

    [Fact]
    public void Silence_from_the_topology_and_every_peer_for_the_bound_fences() =>
        Assert.Equal(ShardSyncStep.FenceIsolated, Decide(shard: null, silenceSeconds: 2));

    [Fact]
    public void Silence_without_enough_failed_peer_probes_is_not_isolation() =>
        // A starved agent (its thread pool busy) measures a long silence before it has asked its peers at all.
        Assert.Equal(ShardSyncStep.Nothing, Decide(shard: null, silenceSeconds: 5, failedRounds: ShardSyncDecision.MinFailedPeerRounds - 1));

    [Fact]
    public void The_isolation_fence_runs_once_per_silence() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(shard: null, silenceSeconds: 10, fenced: true));

    [Fact]
    public void A_primary_with_no_peer_to_fail_over_to_is_never_fenced_for_silence() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(shard: null, silenceSeconds: 10, peers: 0));

    [Fact]
    public void A_primary_that_could_not_read_its_peers_yet_is_not_fenced_for_silence() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(shard: null, silenceSeconds: 10, peers: null));

    [Fact]
    public void A_zero_bound_turns_the_isolation_fence_off() =>
        Assert.Equal(ShardSyncStep.Nothing, Decide(shard: null, silenceSeconds: 10, bound: TimeSpan.Zero));
}
