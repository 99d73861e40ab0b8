using Topodata;
using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using static Vtorc.Reparent.Tests.Fixtures;
using Vtorc.Topo;

namespace Vtorc.Reparent.Tests.Decisions;

public class ErsValidCandidateSelectorTests
{
    [Fact]
    public void Gtid_replicas_are_compared_by_relay_log_then_executed()
    {
        var valid = ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(Replica("zone1-101"), My($"{UuidA}:1-8"), My($"{UuidA}:1-10"), Uuid(UuidA)),
        ]);
        Assert.True(valid.IsGtidBased);
        var candidate = Assert.Single(valid.Candidates);
        Assert.Equal(My($"{UuidA}:1-10"), candidate.Position.Combined);
        Assert.Equal(My($"{UuidA}:1-8"), candidate.Position.Executed);
        Assert.Equal(Uuid(UuidA), candidate.SourceUuid);
    }

    [Fact]
    public void A_demoted_primary_is_compared_by_its_primary_position()
    {
        var valid = ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(Replica("zone1-101"), My($"{UuidA}:1-8"), My($"{UuidA}:1-10")),
            ErsTabletStatus.DemotedPrimary(Primary("zone1-100"), My($"{UuidA}:1-12")),
        ]);
        var primary = valid.Candidates.Single(c => c.Alias == "zone1-100");
        Assert.True(primary.WasPrimary);
        Assert.Equal(My($"{UuidA}:1-12"), primary.Position.Combined);
        Assert.True(primary.Position.Executed.IsEmpty);
    }

    [Fact]
    public void Mariadb_replicas_are_not_gtid_based_and_compare_executed_positions()
    {
        var valid = ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(Replica("zone1-101"), Maria("0-1-100"), ReplicationPosition.Empty),
            ErsTabletStatus.Replica(Replica("zone1-102"), Maria("0-1-90"), ReplicationPosition.Empty),
        ]);
        Assert.False(valid.IsGtidBased);
        Assert.Equal(Maria("0-1-100"), valid.Candidates[0].Position.Combined);
    }

    [Theory]
    [InlineData(TabletType.Backup)]
    [InlineData(TabletType.Restore)]
    [InlineData(TabletType.Drained)]
    public void Backup_restore_and_drained_tablets_are_no_candidates_but_still_reached(TabletType type)
    {
        var valid = ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(Replica("zone1-101"), My($"{UuidA}:1-8"), My($"{UuidA}:1-8")),
            ErsTabletStatus.Replica(OfType("zone1-102", type), My($"{UuidA}:1-9"), My($"{UuidA}:1-9")),
        ]);
        Assert.Equal(["zone1-101"], valid.Candidates.Select(c => c.Alias));
        var rejection = Assert.Single(valid.Rejected);
        Assert.Equal("zone1-102", rejection.Alias);
        Assert.Contains(type.ToName(), rejection.Reason);
        Assert.Equal(["zone1-101", "zone1-102"], valid.Reached.Select(t => t.Alias));
    }

    [Fact]
    public void Spare_tablets_stay_candidates_until_the_must_not_filter()
    {
        var valid = ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(OfType("zone1-102", TabletType.Spare), My($"{UuidA}:1-9"), My($"{UuidA}:1-9")),
        ]);
        Assert.Single(valid.Candidates);
    }

    [Fact]
    public void No_candidate_left_is_an_error_with_every_reason()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(OfType("zone1-101", TabletType.Drained), My($"{UuidA}:1-8"), My($"{UuidA}:1-8")),
            ErsTabletStatus.Replica(OfType("zone1-102", TabletType.Backup), My($"{UuidA}:1-8"), My($"{UuidA}:1-8")),
        ]));
        Assert.Equal("no valid candidates for emergency reparent", error.Summary);
        Assert.Equal(["zone1-101", "zone1-102"], Aliases(error.Reasons));
    }

    [Fact]
    public void Nothing_reached_means_no_valid_candidates()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => ErsValidCandidateSelector.Select([]));
        Assert.Equal("no valid candidates for emergency reparent", error.Message);
    }

    [Fact]
    public void Mixing_gtid_and_file_position_relay_logs_is_an_error()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(Replica("zone1-101"), My($"{UuidA}:1-8"), My($"{UuidA}:1-8")),
            ErsTabletStatus.Replica(Replica("zone1-102"), File("binlog.000003:1547"), File("binlog.000003:1547")),
        ]));
        Assert.Equal("encountered mix of GTID-based and non GTID-based relay logs", error.Summary);
    }

    [Fact]
    public void An_empty_relay_log_among_gtid_replicas_is_an_error_naming_the_tablet()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => ErsValidCandidateSelector.Select([
            ErsTabletStatus.Replica(Replica("zone1-101"), My($"{UuidA}:1-8"), My($"{UuidA}:1-8")),
            ErsTabletStatus.Replica(Replica("zone1-102"), My($"{UuidA}:1-8"), ReplicationPosition.Empty),
        ]));
        Assert.Contains("encountered tablet zone1-102 with no relay log position", error.Message);
    }

    [Fact]
    public void A_tablet_listed_twice_is_refused()
    {
        var status = ErsTabletStatus.Replica(Replica("zone1-101"), My($"{UuidA}:1-8"), My($"{UuidA}:1-8"));
        var error = Assert.Throws<ArgumentException>(() => ErsValidCandidateSelector.Select([status, status]));
        Assert.Contains("\"zone1-101\"", error.Message);
    }
}
