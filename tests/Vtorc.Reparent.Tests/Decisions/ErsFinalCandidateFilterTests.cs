using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class ErsFinalCandidateFilterTests
{
    private static readonly DurabilityPolicyRegistry Registry = DurabilityPolicyRegistry.CreateDefault();
    private static readonly HashSet<string> NoBackups = [];

    private static RankedCandidate Ranked(TabletInfo tablet, DurabilityPolicy policy) =>
        new(tablet, CandidatePosition.CombinedOnly(My($"{UuidA}:1-10")), policy.PromotionRuleOf(tablet));

    private static ErsFinalCandidates Filter(string policyName, TabletInfo[] candidates, TabletInfo[]? reached = null,
        TabletInfo? previousPrimary = null, ErsOptions? options = null, IReadOnlySet<string>? backups = null)
    {
        var policy = Registry.Get(policyName);
        return ErsFinalCandidateFilter.Filter(candidates.Select(c => Ranked(c, policy)).ToArray(), backups ?? NoBackups,
            reached ?? candidates, previousPrimary, policy, options ?? ErsOptions.Default);
    }

    [Fact]
    public void Must_not_rdonly_is_removed_with_a_reason()
    {
        var result = Filter(DurabilityPolicyNames.None, [Rdonly("zone1-104"), Replica("zone1-101")]);
        Assert.Equal(["zone1-101"], result.Candidates.Select(c => c.Alias));
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal("zone1-104", rejection.Alias);
        Assert.Contains("must_not", rejection.Reason);
        Assert.Contains("RDONLY", rejection.Reason);
    }

    [Fact]
    public void Requesting_a_must_not_tablet_is_an_error()
    {
        var error = Assert.Throws<ReparentDecisionException>(() =>
            Filter(DurabilityPolicyNames.None, [Rdonly("zone1-104"), Replica("zone1-101")], options: new ErsOptions("zone1-104")));
        Assert.Equal("proposed primary zone1-104 has a must not promotion rule", error.Summary);
    }

    [Fact]
    public void Prevent_cross_cell_keeps_only_the_previous_primarys_cell()
    {
        var result = Filter(DurabilityPolicyNames.None, [Replica("zone2-201"), Replica("zone1-101")],
            previousPrimary: Primary("zone1-100"), options: new ErsOptions(PreventCrossCellPromotion: true));
        Assert.Equal(["zone1-101"], result.Candidates.Select(c => c.Alias));
        Assert.Contains("cross-cell promotion is prevented", Assert.Single(result.Rejected).Reason);
    }

    [Fact]
    public void Cross_cell_candidates_stay_without_the_option_or_without_a_previous_primary()
    {
        Assert.Equal(2, Filter(DurabilityPolicyNames.None, [Replica("zone2-201"), Replica("zone1-101")],
            previousPrimary: Primary("zone1-100")).Candidates.Count);
        Assert.Equal(2, Filter(DurabilityPolicyNames.None, [Replica("zone2-201"), Replica("zone1-101")],
            options: new ErsOptions(PreventCrossCellPromotion: true)).Candidates.Count);
    }

    [Fact]
    public void Requesting_a_tablet_in_another_cell_with_prevention_is_an_error()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => Filter(DurabilityPolicyNames.None,
            [Replica("zone2-201"), Replica("zone1-101")], previousPrimary: Primary("zone1-100"),
            options: new ErsOptions("zone2-201", PreventCrossCellPromotion: true)));
        Assert.Equal("proposed primary zone2-201 is in a different cell than the previous primary", error.Summary);
    }

    [Fact]
    public void A_candidate_without_enough_reached_ackers_cannot_establish()
    {
        // cross_cell: zone1-101 needs an ack from another cell, and the only reached tablet there is an RDONLY.
        TabletInfo[] reached = [Replica("zone1-101"), Replica("zone2-201"), Rdonly("zone2-204"), Replica("zone1-102")];
        var result = Filter(DurabilityPolicyNames.CrossCell, [Replica("zone1-101"), Replica("zone2-201")],
            reached: [Replica("zone1-101"), Rdonly("zone2-204"), Replica("zone1-102")]);
        Assert.Empty(result.Candidates);
        Assert.Equal(["zone1-101", "zone2-201"], Aliases(result.Rejected));
        Assert.Contains("0 reached tablet(s) can send it semi-sync acks, it needs 1", result.Rejected[0].Reason);
        Assert.Equal("was not reached while stopping replication, so it cannot be promoted safely", result.Rejected[1].Reason);

        var withRdonlyAck = Filter(DurabilityPolicyNames.CrossCellWithRdonlyAck, [Replica("zone1-101")], reached: reached);
        Assert.Equal(["zone1-101"], withRdonlyAck.Candidates.Select(c => c.Alias));
    }

    [Fact]
    public void Requesting_a_tablet_that_cannot_establish_is_an_error()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => Filter(DurabilityPolicyNames.SemiSync,
            [Replica("zone1-101")], reached: [Replica("zone1-101")], options: new ErsOptions("zone1-101")));
        Assert.Equal("proposed primary zone1-101 will not be able to make forward progress on being promoted", error.Summary);
    }

    [Fact]
    public void Backup_running_candidates_are_kept_only_when_nothing_else_remains()
    {
        var both = Filter(DurabilityPolicyNames.None, [Replica("zone1-101"), Replica("zone1-102")], backups: new HashSet<string> { "zone1-101" });
        Assert.Equal(["zone1-102"], both.Candidates.Select(c => c.Alias));
        Assert.False(both.OnlyBackupRunningLeft);
        Assert.Equal("is running a backup and other candidates remain", Assert.Single(both.Rejected).Reason);

        var alone = Filter(DurabilityPolicyNames.None, [Replica("zone1-101"), Rdonly("zone1-104")], backups: new HashSet<string> { "zone1-101" });
        Assert.Equal(["zone1-101"], alone.Candidates.Select(c => c.Alias));
        Assert.True(alone.OnlyBackupRunningLeft);
    }
}
