namespace Vtorc.Replication.Tests;

public sealed class PositionComparisonTests
{
    private static ReplicationPosition P(string text) => ReplicationPosition.Parse(text);

    private static CandidatePosition Candidate(string combined, string executed) => new(P(combined), P(executed));

    private const string M = "MySQL56/" + Uuids.C;

    [Fact]
    public void Larger_combined_wins_whatever_was_executed()
    {
        var ahead = Candidate(M + ":1-10", M + ":1-2");
        var behind = Candidate(M + ":1-9", M + ":1-9");
        Assert.True(PositionComparison.IsAtLeast(ahead, behind));
        Assert.False(PositionComparison.IsAtLeast(behind, ahead));
        Assert.True(PositionComparison.StrictlyDominates(ahead, behind));
    }

    [Fact]
    public void Equal_combined_is_decided_by_executed()
    {
        var appliedMore = Candidate(M + ":1-10", M + ":1-8");
        var appliedLess = Candidate(M + ":1-10", M + ":1-5");
        Assert.True(PositionComparison.IsAtLeast(appliedMore, appliedLess));
        Assert.False(PositionComparison.IsAtLeast(appliedLess, appliedMore));
        Assert.True(PositionComparison.StrictlyDominates(appliedMore, appliedLess));
    }

    [Fact]
    public void Identical_candidates_are_at_least_each_other_but_do_not_dominate()
    {
        var x = Candidate(M + ":1-10", M + ":1-8");
        var y = Candidate(M + ":1-10", M + ":1-8");
        Assert.True(PositionComparison.IsAtLeast(x, y));
        Assert.True(PositionComparison.IsAtLeast(y, x));
        Assert.False(PositionComparison.StrictlyDominates(x, y));
    }

    [Fact]
    public void Diverged_combined_positions_are_incomparable()
    {
        var x = Candidate(M + ":1-10," + Uuids.D + ":1", M + ":1-10");
        var y = Candidate(M + ":1-11", M + ":1-11");
        Assert.False(PositionComparison.IsAtLeast(x, y));
        Assert.False(PositionComparison.IsAtLeast(y, x));
        Assert.True(PositionComparison.AreIncomparable(x.Combined, y.Combined));
        Assert.False(PositionComparison.AreIncomparable(P(M + ":1-11"), P(M + ":1-5")));
    }

    [Fact]
    public void Different_flavors_are_incomparable_but_empty_is_below_everything()
    {
        Assert.True(PositionComparison.AreIncomparable(P(M + ":1"), P("MariaDB/0-1-1")));
        Assert.False(PositionComparison.AreIncomparable(P(M + ":1"), ReplicationPosition.Empty));
    }

    [Fact]
    public void MariaDb_positions_differing_only_in_server_id_are_mutually_contained_but_unequal()
    {
        var a = P("MariaDB/0-1-100");
        var b = P("MariaDB/0-2-100");
        Assert.True(PositionComparison.AreMutuallyContainedButUnequal(a, b));
        Assert.False(PositionComparison.AreMutuallyContainedButUnequal(a, P("MariaDB/0-1-100")));
        Assert.False(PositionComparison.AreIncomparable(a, b));
        Assert.False(PositionComparison.StrictlyContains(a, b));
        Assert.True(PositionComparison.StrictlyContains(P("MariaDB/0-1-101"), b));
    }

    [Fact]
    public void Non_gtid_candidates_compare_on_combined_only()
    {
        var later = CandidatePosition.CombinedOnly(P("FilePos/bin.000002:4"));
        var earlier = CandidatePosition.CombinedOnly(P("FilePos/bin.000001:9000"));
        Assert.True(PositionComparison.IsAtLeast(later, earlier));
        Assert.False(PositionComparison.IsAtLeast(earlier, later));
    }

    [Fact]
    public void Sorting_100_candidates_by_domination_puts_the_most_advanced_first()
    {
        var candidates = Enumerable.Range(1, 100)
            .Select(i => Candidate($"{M}:1-{i}", $"{M}:1-{Math.Max(1, i - 3)}"))
            .Reverse()
            .ToList();
        var dominatedBy = candidates.ToDictionary(c => c, c => candidates.Count(o => PositionComparison.StrictlyDominates(o, c)));
        var winner = candidates.OrderBy(c => dominatedBy[c]).First();
        Assert.Equal($"{M}:1-100", winner.Combined.ToString());
        Assert.All(candidates, c => Assert.True(PositionComparison.IsAtLeast(winner, c)));
    }
}
