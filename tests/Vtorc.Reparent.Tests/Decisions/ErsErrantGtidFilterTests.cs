using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class ErsErrantGtidFilterTests
{
    private static ErsCandidate Replica(string alias, string gtids, string? source = UuidA) =>
        new(Fixtures.Replica(alias), new CandidatePosition(My(gtids), My(gtids)), false, source is null ? null : Uuid(source), false);

    private static ErsCandidate DemotedPrimary(string alias, string gtids) =>
        new(Primary(alias), CandidatePosition.CombinedOnly(My(gtids)), true, null, false);

    private static Dictionary<string, int> Lengths(params (string Alias, int Length)[] lengths) =>
        lengths.ToDictionary(l => l.Alias, l => l.Length);

    [Fact]
    public void Equal_journals_drop_a_candidate_with_transactions_nobody_else_has()
    {
        var result = ErsErrantGtidFilter.Filter(
            [Replica("zone1-101", $"{UuidA}:1-10"), Replica("zone1-102", $"{UuidA}:1-10,{UuidC}:1"), Replica("zone1-103", $"{UuidA}:1-9")],
            Lengths(("zone1-101", 3), ("zone1-102", 3), ("zone1-103", 3)));
        Assert.Equal(["zone1-101", "zone1-103"], result.Kept.Select(c => c.Alias));
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal("zone1-102", rejection.Alias);
        Assert.Contains($"{UuidC}:1", rejection.Reason);
    }

    [Fact]
    public void Transactions_from_a_candidates_own_source_are_not_errant()
    {
        // Only zone1-101 received A:11 from the dead primary A before it died.
        var result = ErsErrantGtidFilter.Filter(
            [Replica("zone1-101", $"{UuidA}:1-11"), Replica("zone1-102", $"{UuidA}:1-10")],
            Lengths(("zone1-101", 2), ("zone1-102", 2)));
        Assert.Equal(2, result.Kept.Count);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void The_same_transactions_are_errant_when_the_candidate_replicates_from_elsewhere()
    {
        var result = ErsErrantGtidFilter.Filter(
            [Replica("zone1-101", $"{UuidA}:1-11", source: UuidB), Replica("zone1-102", $"{UuidA}:1-10")],
            Lengths(("zone1-101", 2), ("zone1-102", 2)));
        Assert.Equal(["zone1-102"], result.Kept.Select(c => c.Alias));
    }

    [Fact]
    public void A_lagging_candidate_is_checked_without_discounting_its_source()
    {
        // zone1-103 missed the last promotion: it still replicates from the old primary B, whose extra writes
        // never reached the up-to-date candidates.
        var result = ErsErrantGtidFilter.Filter(
            [
                Replica("zone1-101", $"{UuidA}:1-10,{UuidB}:1-5"),
                Replica("zone1-102", $"{UuidA}:1-10,{UuidB}:1-5"),
                Replica("zone1-103", $"{UuidB}:1-6", source: UuidB),
                Replica("zone1-104", $"{UuidB}:1-5", source: UuidB),
            ],
            Lengths(("zone1-101", 3), ("zone1-102", 3), ("zone1-103", 2), ("zone1-104", 2)));
        Assert.Equal(["zone1-101", "zone1-102", "zone1-104"], result.Kept.Select(c => c.Alias));
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal("zone1-103", rejection.Alias);
        Assert.Contains("reparent journal has 2 entries, the longest 3", rejection.Reason);
    }

    [Fact]
    public void Lagging_candidates_are_compared_only_with_up_to_date_candidates_that_survived()
    {
        var result = ErsErrantGtidFilter.Filter(
            [
                Replica("zone1-101", $"{UuidA}:1-10"),
                Replica("zone1-102", $"{UuidA}:1-10,{UuidC}:1-2"),
                Replica("zone1-103", $"{UuidA}:1-5,{UuidC}:1"),
            ],
            Lengths(("zone1-101", 3), ("zone1-102", 3), ("zone1-103", 1)));
        Assert.Equal(["zone1-101"], result.Kept.Select(c => c.Alias));
        Assert.Equal(["zone1-102", "zone1-103"], Aliases(result.Rejected));
    }

    [Fact]
    public void An_up_to_date_former_primary_is_kept_without_a_check()
    {
        var result = ErsErrantGtidFilter.Filter(
            [DemotedPrimary("zone1-100", $"{UuidA}:1-10,{UuidC}:1"), Replica("zone1-101", $"{UuidA}:1-10")],
            Lengths(("zone1-100", 4), ("zone1-101", 4)));
        Assert.Equal(2, result.Kept.Count);
    }

    [Fact]
    public void A_single_candidate_has_nothing_to_be_compared_with()
    {
        var result = ErsErrantGtidFilter.Filter([Replica("zone1-101", $"{UuidC}:1-3,{UuidA}:1-10")], Lengths(("zone1-101", 1)));
        Assert.Single(result.Kept);
    }

    [Fact]
    public void A_missing_journal_length_is_refused_naming_the_candidate()
    {
        var error = Assert.Throws<ArgumentException>(() => ErsErrantGtidFilter.Filter(
            [Replica("zone1-101", $"{UuidA}:1-10"), Replica("zone1-102", $"{UuidA}:1-10")], Lengths(("zone1-101", 1))));
        Assert.Contains("\"zone1-102\"", error.Message);
    }
}
