using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

/// <summary>ERS steps 7–15 end to end over the statuses of the tablets reached after the primary zone1-100 died.</summary>
public class EmergencyReparentDeciderTests
{
    private static readonly DurabilityPolicyRegistry Registry = DurabilityPolicyRegistry.CreateDefault();
    private static readonly TabletInfo OldPrimary = Primary("zone1-100");

    private static ErsTabletStatus Status(TabletInfo tablet, string gtids, bool backupRunning = false) =>
        ErsTabletStatus.Replica(tablet, My(gtids), My(gtids), Uuid(UuidA), backupRunning);

    private static Dictionary<string, int> SameJournal(IEnumerable<ErsTabletStatus> statuses) =>
        statuses.ToDictionary(s => s.Alias, _ => 2);

    private static ErsCandidateDecision Decide(ErsTabletStatus[] statuses, string policy = DurabilityPolicyNames.SemiSync,
        ErsOptions? options = null, Dictionary<string, int>? journal = null, Dictionary<string, CandidateServerStatus>? servers = null)
    {
        var valid = EmergencyReparentDecider.SelectValidCandidates(statuses);
        return EmergencyReparentDecider.Decide(valid, journal ?? SameJournal(statuses), OldPrimary, Registry.Get(policy),
            options ?? ErsOptions.Default, servers);
    }

    [Fact]
    public void Among_equally_advanced_replicas_the_lower_server_version_is_promoted_directly()
    {
        ErsTabletStatus[] statuses =
        [
            Status(Replica("zone1-101"), $"{UuidA}:1-10"),
            Status(Replica("zone1-102"), $"{UuidA}:1-10"),
            Status(Replica("zone1-103"), $"{UuidA}:1-10"),
        ];
        var servers = new Dictionary<string, CandidateServerStatus>
        {
            ["zone1-101"] = Server("8.4.3"),
            ["zone1-102"] = Server("8.0.40"),
            ["zone1-103"] = CandidateServerStatus.Unknown,
        };
        var decision = Decide(statuses, DurabilityPolicyNames.None, servers: servers);
        Assert.Equal("zone1-102", decision.IntermediateSource);
        Assert.Equal("zone1-102", decision.PreferredPrimary);
        Assert.True(decision.IsIntermediateSourceIdeal);
        Assert.Equal(["zone1-102", "zone1-101", "zone1-103"], decision.Ranking.Select(c => c.Alias).ToArray());
    }

    [Fact]
    public void A_lower_server_version_does_not_win_over_a_more_advanced_replica()
    {
        ErsTabletStatus[] statuses = [Status(Replica("zone1-101"), $"{UuidA}:1-11"), Status(Replica("zone1-102"), $"{UuidA}:1-10")];
        var servers = new Dictionary<string, CandidateServerStatus> { ["zone1-101"] = Server("8.4.3"), ["zone1-102"] = Server("8.0.40") };
        var decision = Decide(statuses, DurabilityPolicyNames.None, servers: servers);
        Assert.Equal("zone1-101", decision.IntermediateSource);
        Assert.Equal("zone1-101", decision.PreferredPrimary);
    }

    [Fact]
    public void A_candidate_reporting_a_stalled_disk_is_only_the_intermediate_source()
    {
        ErsTabletStatus[] statuses =
        [
            ErsTabletStatus.DemotedPrimary(Primary("zone1-100"), My($"{UuidA}:1-11")),
            Status(Replica("zone1-101"), $"{UuidA}:1-10"),
            Status(Replica("zone1-102"), $"{UuidA}:1-11"),
        ];
        var servers = new Dictionary<string, CandidateServerStatus> { ["zone1-100"] = new(null, DiskStalled: true) };
        var decision = Decide(statuses, DurabilityPolicyNames.None, servers: servers);
        Assert.Equal("zone1-102", decision.PreferredPrimary);
        Assert.Contains(decision.Rejected, r => r.Alias == "zone1-100" && r.Reason == "reported a stalled disk (FullStatus disk_stalled)");

        var error = Assert.Throws<ReparentDecisionException>(() =>
            Decide(statuses, DurabilityPolicyNames.None, new ErsOptions("zone1-100", false), servers: servers));
        Assert.Contains("stalled disk", error.Message, StringComparison.Ordinal);
    }

    private static CandidateServerStatus Server(string version) => new(ServerVersion.FromFullStatus(version, ""), false);

    private static readonly ErsTabletStatus[] RdonlyAhead =
    [
        Status(Replica("zone1-101"), $"{UuidA}:1-10"),
        Status(Replica("zone1-102"), $"{UuidA}:1-9"),
        Status(Replica("zone2-201"), $"{UuidA}:1-10"),
        Status(Rdonly("zone1-104"), $"{UuidA}:1-12"),
    ];

    [Fact]
    public void The_most_advanced_replica_is_promoted_directly()
    {
        var decision = Decide([Status(Replica("zone1-101"), $"{UuidA}:1-9"), Status(Replica("zone1-102"), $"{UuidA}:1-10")]);
        Assert.Equal("zone1-102", decision.IntermediateSource);
        Assert.Equal("zone1-102", decision.PreferredPrimary);
        Assert.True(decision.IsIntermediateSourceIdeal);
        Assert.True(decision.IsGtidBased);
        Assert.Empty(decision.TabletsToRepoint);
    }

    [Fact]
    public void A_must_not_rdonly_ahead_of_everyone_is_only_the_intermediate_source()
    {
        var decision = Decide(RdonlyAhead);
        Assert.Equal("zone1-104", decision.IntermediateSource);
        Assert.False(decision.IsIntermediateSourceIdeal);
        Assert.Equal("zone1-101", decision.PreferredPrimary);
        Assert.Equal(["zone1-101", "zone2-201", "zone1-102"], decision.TabletsToRepoint);
        Assert.Equal(["zone1-104"], Aliases(decision.Rejected));
        Assert.Equal(["zone2-201", "zone1-102"], Aliases(decision.PassedOver));
        Assert.Equal("same promotion rule as zone1-101, which is ordered first (position, then server version, then alias)", decision.PassedOver[0].Reason);

        var final = EmergencyReparentDecider.ChooseAfterRepointing(decision, ["zone1-101", "zone2-201", "zone1-102"], ErsOptions.Default);
        Assert.Equal("zone1-101", final.NewPrimary);
        Assert.True(final.NeedsCatchUp);
    }

    [Fact]
    public void A_candidate_that_could_not_be_repointed_is_passed_over()
    {
        var decision = Decide(RdonlyAhead);
        var final = EmergencyReparentDecider.ChooseAfterRepointing(decision, ["zone2-201", "zone1-102"], ErsOptions.Default);
        Assert.Equal("zone2-201", final.NewPrimary);
        Assert.Contains(final.Rejected, r => r.Alias == "zone1-101" && r.Reason.Contains("could not be repointed", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_repointed_and_a_must_not_source_means_no_valid_candidates()
    {
        var decision = Decide(RdonlyAhead);
        var error = Assert.Throws<ReparentDecisionException>(() => EmergencyReparentDecider.ChooseAfterRepointing(decision, [], ErsOptions.Default));
        Assert.Equal("no valid candidates for emergency reparent", error.Summary);
    }

    [Fact]
    public void Only_must_not_tablets_reached_is_no_valid_candidates_with_reasons()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => Decide(
            [Status(Rdonly("zone1-104"), $"{UuidA}:1-12"), Status(Rdonly("zone1-105"), $"{UuidA}:1-11")], DurabilityPolicyNames.None));
        Assert.Equal("no valid candidates for emergency reparent", error.Summary);
        Assert.Equal(["zone1-104", "zone1-105"], Aliases(error.Reasons));
    }

    [Fact]
    public void Ties_go_to_the_better_promotion_rule_before_the_alias()
    {
        var decision = Decide(
        [
            Status(Replica("zone1-0000000101"), $"{UuidA}:1-10"),
            Status(Replica("zone2-0000000200"), $"{UuidA}:1-10"),
        ], DurabilityPolicyNames.Test);
        Assert.Equal("zone2-0000000200", decision.IntermediateSource);
        Assert.True(decision.IsIntermediateSourceIdeal);

        var withoutPreference = Decide(
        [
            Status(Replica("zone2-0000000201"), $"{UuidA}:1-10"),
            Status(Replica("zone1-0000000101"), $"{UuidA}:1-10"),
        ], DurabilityPolicyNames.Test);
        Assert.Equal("zone1-0000000101", withoutPreference.PreferredPrimary);
    }

    [Fact]
    public void A_preferred_tablet_wins_over_a_more_advanced_neutral_one_after_catching_up()
    {
        var decision = Decide(
        [
            Status(Replica("zone1-0000000101"), $"{UuidA}:1-10"),
            Status(Replica("zone2-0000000200"), $"{UuidA}:1-8"),
        ], DurabilityPolicyNames.Test);
        Assert.Equal("zone1-0000000101", decision.IntermediateSource);
        Assert.Equal("zone2-0000000200", decision.PreferredPrimary);
        Assert.False(decision.IsIntermediateSourceIdeal);
        Assert.Equal("promotion rule neutral is worse than zone2-0000000200's prefer", Assert.Single(decision.PassedOver).Reason);
    }

    [Fact]
    public void A_backup_running_candidate_is_used_only_when_nothing_else_remains()
    {
        var decision = Decide(
        [
            Status(Replica("zone1-101"), $"{UuidA}:1-10", backupRunning: true),
            Status(Replica("zone1-102"), $"{UuidA}:1-9"),
        ]);
        Assert.Equal("zone1-101", decision.IntermediateSource);
        Assert.Equal("zone1-102", decision.PreferredPrimary);
        Assert.False(decision.OnlyBackupRunningLeft);

        var alone = Decide(
        [
            Status(Replica("zone1-101"), $"{UuidA}:1-10", backupRunning: true),
            Status(Rdonly("zone1-104"), $"{UuidA}:1-9"),
        ], DurabilityPolicyNames.None);
        Assert.Equal("zone1-101", alone.PreferredPrimary);
        Assert.True(alone.OnlyBackupRunningLeft);
        Assert.True(alone.IsIntermediateSourceIdeal);
    }

    [Fact]
    public void A_requested_primary_that_is_less_advanced_catches_up_from_the_most_advanced()
    {
        var options = new ErsOptions("zone1-102");
        var decision = Decide([Status(Replica("zone1-101"), $"{UuidA}:1-10"), Status(Replica("zone1-102"), $"{UuidA}:1-9")], options: options);
        Assert.Equal("zone1-101", decision.IntermediateSource);
        Assert.Equal("zone1-102", decision.PreferredPrimary);
        var final = EmergencyReparentDecider.ChooseAfterRepointing(decision, decision.TabletsToRepoint, options);
        Assert.Equal("zone1-102", final.NewPrimary);
        Assert.True(final.NeedsCatchUp);
    }

    [Fact]
    public void A_candidate_with_errant_gtids_is_never_chosen_even_if_most_advanced()
    {
        var decision = Decide(
        [
            Status(Replica("zone1-101"), $"{UuidA}:1-10"),
            Status(Replica("zone1-102"), $"{UuidA}:1-10,{UuidC}:1-3"),
            Status(Replica("zone1-103"), $"{UuidA}:1-10"),
        ]);
        Assert.Equal("zone1-101", decision.PreferredPrimary);
        Assert.DoesNotContain(decision.Ranking, c => c.Alias == "zone1-102");
        Assert.Contains(decision.Rejected, r => r.Alias == "zone1-102" && r.Reason.Contains("errant GTIDs", StringComparison.Ordinal));
    }

    [Fact]
    public void Requesting_a_tablet_with_errant_gtids_is_an_error_saying_so()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => Decide(
        [
            Status(Replica("zone1-101"), $"{UuidA}:1-10"),
            Status(Replica("zone1-102"), $"{UuidA}:1-10,{UuidC}:1-3"),
            Status(Replica("zone1-103"), $"{UuidA}:1-10"),
        ], options: new ErsOptions("zone1-102")));
        Assert.StartsWith("requested primary elect zone1-102 is not a valid candidate: zone1-102: has errant GTIDs", error.Message);
    }

    [Fact]
    public void Diverged_replicas_fail_with_split_brain()
    {
        // Neither has errant GTIDs (each one's extra transactions come from its own source), yet they diverged.
        var error = Assert.Throws<ReparentDecisionException>(() => Decide(
        [
            ErsTabletStatus.Replica(Replica("zone1-101"), My($"{UuidA}:1-10,{UuidB}:1"), My($"{UuidA}:1-10,{UuidB}:1"), Uuid(UuidB)),
            ErsTabletStatus.Replica(Replica("zone1-102"), My($"{UuidA}:1-11"), My($"{UuidA}:1-11"), Uuid(UuidA)),
        ]));
        Assert.StartsWith("split brain detected between servers - ", error.Message);
    }

    [Fact]
    public void Prevent_cross_cell_failover_keeps_the_primary_in_its_cell()
    {
        var statuses = new[]
        {
            Status(Replica("zone2-201"), $"{UuidA}:1-10"),
            Status(Replica("zone1-101"), $"{UuidA}:1-9"),
        };
        Assert.Equal("zone2-201", Decide(statuses).PreferredPrimary);
        var prevented = Decide(statuses, options: new ErsOptions(PreventCrossCellPromotion: true));
        Assert.Equal("zone1-101", prevented.PreferredPrimary);
        Assert.Equal("zone2-201", prevented.IntermediateSource);
    }

    [Fact]
    public void Mariadb_shards_skip_errant_gtid_filtering_and_need_no_journal()
    {
        var valid = EmergencyReparentDecider.SelectValidCandidates(
        [
            ErsTabletStatus.Replica(Replica("zone1-101"), Maria("0-100-50"), Vtorc.Replication.ReplicationPosition.Empty),
            ErsTabletStatus.Replica(Replica("zone1-102"), Maria("0-100-52"), Vtorc.Replication.ReplicationPosition.Empty),
        ]);
        var decision = EmergencyReparentDecider.Decide(valid, null, OldPrimary, Registry.Get(DurabilityPolicyNames.SemiSync), ErsOptions.Default);
        Assert.Equal("zone1-102", decision.PreferredPrimary);
        Assert.False(decision.IsGtidBased);
    }

    [Fact]
    public void Gtid_shards_need_the_journal_lengths()
    {
        var valid = EmergencyReparentDecider.SelectValidCandidates([Status(Replica("zone1-101"), $"{UuidA}:1-10")]);
        Assert.Throws<ArgumentNullException>(() =>
            EmergencyReparentDecider.Decide(valid, null, OldPrimary, Registry.Get(DurabilityPolicyNames.SemiSync), ErsOptions.Default));
    }
}
