using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class ErsMariaDbDivergenceFilterTests
{
    private static ErsCandidate Candidate(string alias, string position, string? binlogState, uint sourceServerId = 101) =>
        new(Fixtures.Replica(alias), CandidatePosition.CombinedOnly(Maria(position)), false, null, false)
        {
            BinlogState = binlogState is null ? null : MariaDbBinlogState.Parse(binlogState),
            SourceServerId = sourceServerId,
        };

    [Fact]
    public void An_old_primary_with_writes_of_its_own_is_dropped_even_with_the_highest_sequence()
    {
        // zone1-100 (server 100) was primary up to 10, then wrote 11–60 after zone1-101 (server 101) took over and wrote 11–50.
        var result = ErsMariaDbDivergenceFilter.Filter(
        [
            Candidate("zone1-100", "0-100-60", "0-100-60"),
            Candidate("zone1-102", "0-101-50", "0-100-10,0-101-50"),
        ]);
        Assert.Equal(["zone1-102"], result.Kept.Select(c => c.Alias));
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal("zone1-100", rejection.Alias);
        Assert.Contains("0-100-60", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dead_primarys_newest_write_held_by_one_replica_only_is_legitimate()
    {
        // zone1-103 restarted and has not reconnected (no source server id), yet it alone holds 0-101-51.
        var result = ErsMariaDbDivergenceFilter.Filter(
        [
            Candidate("zone1-102", "0-101-50", "0-100-10,0-101-50"),
            Candidate("zone1-103", "0-101-51", "0-100-10,0-101-51", sourceServerId: 0),
        ]);
        Assert.Equal(2, result.Kept.Count);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void Candidates_without_a_binlog_state_are_kept_and_are_no_witnesses()
    {
        var result = ErsMariaDbDivergenceFilter.Filter(
        [
            Candidate("zone1-100", "0-100-60", "0-100-60"),
            Candidate("zone1-102", "0-101-50", null),
        ]);
        Assert.Equal(2, result.Kept.Count);
    }

    [Fact]
    public void The_decider_promotes_the_clean_replica_over_the_diverged_one()
    {
        var valid = new ErsValidCandidates(
        [
            Candidate("zone1-100", "0-100-60", "0-100-60"),
            Candidate("zone1-102", "0-101-50", "0-100-10,0-101-50"),
        ], false, [Fixtures.Replica("zone1-100"), Fixtures.Replica("zone1-102")], []);
        var decision = EmergencyReparentDecider.Decide(valid, null, null, Vtorc.Reparent.Durability.DurabilityPolicyRegistry.CreateDefault().Get("none"), ErsOptions.Default);
        Assert.Equal("zone1-102", decision.PreferredPrimary);
        Assert.Contains(decision.Rejected, r => r.Alias == "zone1-100" && r.Reason.Contains("diverged", StringComparison.Ordinal));
    }
}
