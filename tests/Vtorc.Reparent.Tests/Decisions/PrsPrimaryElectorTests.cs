using Topodata;
using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class PrsPrimaryElectorTests
{
    private static readonly DurabilityPolicyRegistry Registry = DurabilityPolicyRegistry.CreateDefault();

    private static readonly TabletInfo[] Shard =
    [
        Primary("zone1-100"), Replica("zone1-101"), Replica("zone1-102"), Replica("zone2-201"), Rdonly("zone1-104"),
        OfType("zone1-105", TabletType.Backup),
    ];

    private static PrsCandidateStatus Status(string alias, string gtids, double lagSeconds = 0, bool backup = false, long? pages = null,
        string? version = null) =>
        new(alias, My(gtids), ReplicationPosition.Empty, TimeSpan.FromSeconds(lagSeconds), backup, pages, ServerVersion.FromFullStatus(version, ""));

    private static PrsElection Elect(PrsPreselection pre, PrsElectionOptions options, string policy, params PrsCandidateStatus[] statuses) =>
        PrsPrimaryElector.Elect(pre, statuses, Registry.Get(policy), options);

    [Fact]
    public void Only_replicas_in_the_shard_primarys_cell_other_than_the_avoided_one_are_candidates()
    {
        var pre = PrsPrimaryElector.Preselect(Shard, "zone1-100", new PrsElectionOptions(AvoidPrimaryAlias: "zone1-101"));
        Assert.Equal(["zone1-102"], pre.Candidates.Select(t => t.Alias));
        Assert.Equal("zone1-102", pre.ElectedWithoutStatus);
        var reasons = pre.Rejected.ToDictionary(r => r.Alias, r => r.Reason);
        Assert.Equal("is not a REPLICA (type PRIMARY)", reasons["zone1-100"]);
        Assert.Equal("is the primary to avoid", reasons["zone1-101"]);
        Assert.Equal("is in cell \"zone2\", not in the previous primary's cell \"zone1\"", reasons["zone2-201"]);
        Assert.Equal("is not a REPLICA (type RDONLY)", reasons["zone1-104"]);
        Assert.Equal("is not a REPLICA (type BACKUP)", reasons["zone1-105"]);
    }

    [Fact]
    public void A_fresh_shard_accepts_replicas_of_every_cell()
    {
        var pre = PrsPrimaryElector.Preselect(Shard, null, PrsElectionOptions.Default);
        Assert.Equal(["zone1-101", "zone1-102", "zone2-201"], pre.Candidates.Select(t => t.Alias));
        Assert.Null(pre.ElectedWithoutStatus);
    }

    [Fact]
    public void Allowing_cross_cell_promotion_lifts_the_cell_restriction()
    {
        var pre = PrsPrimaryElector.Preselect(Shard, "zone1-100", new PrsElectionOptions(AllowCrossCellPromotion: true));
        Assert.Contains(pre.Candidates, t => t.Alias == "zone2-201");
    }

    [Fact]
    public void A_single_candidate_needs_a_status_when_a_lag_limit_is_set()
    {
        var pre = PrsPrimaryElector.Preselect(Shard, "zone1-100",
            new PrsElectionOptions(AvoidPrimaryAlias: "zone1-101", TolerableReplicationLag: TimeSpan.FromSeconds(5)));
        Assert.Null(pre.ElectedWithoutStatus);
    }

    [Fact]
    public void No_replica_at_all_is_an_error_with_a_reason_per_tablet()
    {
        var error = Assert.Throws<ReparentDecisionException>(() =>
            PrsPrimaryElector.Preselect([Primary("zone1-100"), Rdonly("zone1-104")], null, PrsElectionOptions.Default));
        Assert.Equal("cannot find a tablet to reparent to", error.Summary);
        Assert.Equal(["zone1-100", "zone1-104"], Aliases(error.Reasons));
    }

    [Fact]
    public void The_most_advanced_candidate_is_elected()
    {
        var pre = PrsPrimaryElector.Preselect(Shard, null, PrsElectionOptions.Default);
        var election = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.SemiSync,
            Status("zone1-101", $"{UuidA}:1-9"), Status("zone1-102", $"{UuidA}:1-10"), Status("zone2-201", $"{UuidA}:1-8"));
        Assert.Equal("zone1-102", election.PrimaryElect);
        Assert.Contains(election.Rejected, r => r.Alias == "zone1-101" && r.Reason == "less advanced than zone1-102");
    }

    [Fact]
    public void The_relay_log_position_is_compared_when_known()
    {
        var pre = PrsPrimaryElector.Preselect(Shard, null, PrsElectionOptions.Default);
        var election = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            new PrsCandidateStatus("zone1-101", My($"{UuidA}:1-5"), My($"{UuidA}:1-12"), TimeSpan.Zero),
            Status("zone1-102", $"{UuidA}:1-10"), Status("zone2-201", $"{UuidA}:1-10"));
        Assert.Equal("zone1-101", election.PrimaryElect);
    }

    [Fact]
    public void Lagging_unknown_lag_and_backup_running_candidates_are_dropped()
    {
        var options = new PrsElectionOptions(TolerableReplicationLag: TimeSpan.FromSeconds(10));
        var pre = PrsPrimaryElector.Preselect(Shard, null, options);
        var election = Elect(pre, options, DurabilityPolicyNames.None,
            Status("zone1-101", $"{UuidA}:1-12", lagSeconds: 11),
            new PrsCandidateStatus("zone1-102", My($"{UuidA}:1-11"), ReplicationPosition.Empty, null),
            Status("zone2-201", $"{UuidA}:1-8", lagSeconds: 10));
        Assert.Equal("zone2-201", election.PrimaryElect);
        var reasons = election.Rejected.ToDictionary(r => r.Alias, r => r.Reason);
        Assert.Equal("has 11s replication lag, more than the tolerable 10s", reasons["zone1-101"]);
        Assert.StartsWith("replication lag is unknown", reasons["zone1-102"]);

        var noLimit = Elect(PrsPrimaryElector.Preselect(Shard, null, PrsElectionOptions.Default), PrsElectionOptions.Default,
            DurabilityPolicyNames.None,
            Status("zone1-101", $"{UuidA}:1-12", lagSeconds: 11, backup: true),
            new PrsCandidateStatus("zone1-102", My($"{UuidA}:1-11"), ReplicationPosition.Empty, null),
            Status("zone2-201", $"{UuidA}:1-8"));
        Assert.Equal("zone1-102", noLimit.PrimaryElect);
        Assert.Contains(noLimit.Rejected, r => r.Alias == "zone1-101" && r.Reason == "is taking a backup");
    }

    [Fact]
    public void Every_candidate_dropped_is_an_error_with_the_reasons()
    {
        var pre = PrsPrimaryElector.Preselect(Shard, "zone1-100", PrsElectionOptions.Default);
        var error = Assert.Throws<ReparentDecisionException>(() => Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            Status("zone1-101", $"{UuidA}:1-12", backup: true), Status("zone1-102", $"{UuidA}:1-12", backup: true)));
        Assert.Equal("cannot find a tablet to reparent to", error.Summary);
        Assert.Contains(error.Reasons, r => r.Alias == "zone1-102" && r.Reason == "is taking a backup");
        Assert.Contains(error.Reasons, r => r.Alias == "zone1-104");
    }

    [Fact]
    public void Promotion_rule_then_buffer_pool_data_then_alias_break_position_ties()
    {
        var pre = PrsPrimaryElector.Preselect(
            [Replica("zone1-0000000101"), Replica("zone2-0000000200"), Replica("zone1-0000000102")], null, PrsElectionOptions.Default);
        var byRule = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.Test,
            Status("zone1-0000000101", $"{UuidA}:1-10", pages: 900), Status("zone2-0000000200", $"{UuidA}:1-10", pages: 100),
            Status("zone1-0000000102", $"{UuidA}:1-10", pages: 900));
        Assert.Equal("zone2-0000000200", byRule.PrimaryElect);
        Assert.Contains(byRule.Rejected, r => r.Alias == "zone1-0000000101" && r.Reason.Contains("worse promotion rule", StringComparison.Ordinal));

        var byPages = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            Status("zone1-0000000101", $"{UuidA}:1-10", pages: 100), Status("zone2-0000000200", $"{UuidA}:1-10", pages: 900),
            Status("zone1-0000000102", $"{UuidA}:1-10", pages: 900));
        Assert.Equal("zone1-0000000102", byPages.PrimaryElect);
        Assert.Contains(byPages.Rejected, r => r.Alias == "zone2-0000000200" && r.Reason == "tied with zone1-0000000102, which sorts first by alias");
        Assert.Contains(byPages.Rejected, r => r.Alias == "zone1-0000000101" && r.Reason.Contains("less buffer-pool data", StringComparison.Ordinal));
    }

    [Fact]
    public void The_lower_server_version_is_elected_among_equally_advanced_candidates_but_never_over_a_more_advanced_one()
    {
        var pre = PrsPrimaryElector.Preselect([Replica("zone1-101"), Replica("zone1-102"), Replica("zone1-103")], null, PrsElectionOptions.Default);
        var election = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            Status("zone1-101", $"{UuidA}:1-10", version: "8.4.3", pages: 900), Status("zone1-102", $"{UuidA}:1-10", version: "8.0.40", pages: 100),
            Status("zone1-103", $"{UuidA}:1-9", version: "8.0.20"));
        Assert.Equal("zone1-102", election.PrimaryElect);
        Assert.Contains(election.Rejected, r => r.Alias == "zone1-101"
            && r.Reason == "as advanced as zone1-102 but with a higher or unknown server version (MySQL 8.4.3 against MySQL 8.0.40)");
        Assert.Contains(election.Rejected, r => r.Alias == "zone1-103" && r.Reason == "less advanced than zone1-102");

        var ahead = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            Status("zone1-101", $"{UuidA}:1-11", version: "8.4.3"), Status("zone1-102", $"{UuidA}:1-10", version: "8.0.40"),
            Status("zone1-103", $"{UuidA}:1-10"));
        Assert.Equal("zone1-101", ahead.PrimaryElect);
    }

    [Fact]
    public void A_candidate_reporting_a_stalled_disk_is_not_elected()
    {
        var pre = PrsPrimaryElector.Preselect([Replica("zone1-101"), Replica("zone1-102")], null, PrsElectionOptions.Default);
        var election = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            Status("zone1-101", $"{UuidA}:1-10") with { DiskStalled = true }, Status("zone1-102", $"{UuidA}:1-9"));
        Assert.Equal("zone1-102", election.PrimaryElect);
        Assert.Contains(election.Rejected, r => r.Alias == "zone1-101" && r.Reason == "reported a stalled disk (FullStatus disk_stalled)");
    }

    [Fact]
    public void A_requested_new_primary_is_elected_even_when_less_advanced()
    {
        var options = new PrsElectionOptions(NewPrimaryAlias: "zone1-102");
        var pre = PrsPrimaryElector.Preselect(Shard, "zone1-100", options);
        Assert.Equal("zone1-102", pre.ElectedWithoutStatus);

        var withLimit = options with { TolerableReplicationLag = TimeSpan.FromSeconds(30) };
        var election = Elect(PrsPrimaryElector.Preselect(Shard, "zone1-100", withLimit), withLimit, DurabilityPolicyNames.None,
            Status("zone1-102", $"{UuidA}:1-3", lagSeconds: 2));
        Assert.Equal("zone1-102", election.PrimaryElect);
    }

    [Fact]
    public void A_tablet_answering_not_a_replica_counts_as_an_empty_position()
    {
        var pre = PrsPrimaryElector.Preselect([Replica("zone1-101"), Replica("zone1-102")], null, PrsElectionOptions.Default);
        var election = Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            PrsCandidateStatus.NotAReplica("zone1-101"), Status("zone1-102", $"{UuidA}:1"));
        Assert.Equal("zone1-102", election.PrimaryElect);
    }

    [Fact]
    public void A_missing_status_is_refused_naming_the_candidate()
    {
        var pre = PrsPrimaryElector.Preselect([Replica("zone1-101"), Replica("zone1-102")], null, PrsElectionOptions.Default);
        var error = Assert.Throws<ArgumentException>(() => Elect(pre, PrsElectionOptions.Default, DurabilityPolicyNames.None,
            Status("zone1-101", $"{UuidA}:1")));
        Assert.Contains("\"zone1-102\"", error.Message);
    }
}
