using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;
using Vtorc.Topo;

namespace Vtorc.Reparent.Tests.Decisions;

public class CandidateOrderingTests
{
    private static RankedCandidate Candidate(string alias, ReplicationPosition combined, ReplicationPosition? executed = null,
        PromotionRule rule = PromotionRule.Neutral, long? bufferPool = null, string? version = null) =>
        new(Replica(alias), new CandidatePosition(combined, executed ?? combined), rule, bufferPool)
        {
            Version = ServerVersion.FromFullStatus(version, ""),
        };

    private static string[] Order(params RankedCandidate[] candidates) => CandidateOrdering.Sort(candidates).Select(c => c.Alias).ToArray();

    [Fact]
    public void More_advanced_position_sorts_first_whatever_the_rule_or_alias()
    {
        Assert.Equal(["zone1-3", "zone1-2", "zone1-1"], Order(
            Candidate("zone1-1", My($"{UuidA}:1-5"), rule: PromotionRule.Must),
            Candidate("zone1-3", My($"{UuidA}:1-10")),
            Candidate("zone1-2", My($"{UuidA}:1-8"), rule: PromotionRule.Prefer)));
    }

    [Fact]
    public void At_equal_combined_the_more_executed_sorts_first()
    {
        Assert.Equal(["zone1-2", "zone1-1"], Order(
            Candidate("zone1-1", My($"{UuidA}:1-10"), My($"{UuidA}:1-7")),
            Candidate("zone1-2", My($"{UuidA}:1-10"), My($"{UuidA}:1-9"))));
    }

    [Fact]
    public void Equal_positions_are_ordered_by_promotion_rule_then_alias()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone2-1", "zone1-20", "zone1-100", "zone1-3"], Order(
            Candidate("zone1-100", position),
            Candidate("zone1-3", position, rule: PromotionRule.PreferNot),
            Candidate("zone2-1", position, rule: PromotionRule.Prefer),
            Candidate("zone1-20", position)));
    }

    [Fact]
    public void The_promotion_rule_breaks_position_ties_before_buffer_pool_data()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone1-2", "zone1-1"], Order(
            Candidate("zone1-1", position, bufferPool: 500),
            Candidate("zone1-2", position, rule: PromotionRule.Prefer, bufferPool: 100)));
    }

    [Fact]
    public void Buffer_pool_data_breaks_ties_of_position_and_rule_when_known_for_all()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone1-2", "zone1-1"], Order(
            Candidate("zone1-1", position, bufferPool: 100),
            Candidate("zone1-2", position, bufferPool: 500)));
    }

    [Fact]
    public void Among_equally_advanced_candidates_the_lower_server_version_sorts_first_and_an_unknown_one_last()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone1-3", "zone1-2", "zone1-1", "zone1-4"], Order(
            Candidate("zone1-4", position),
            Candidate("zone1-1", position, version: "8.4.3"),
            Candidate("zone1-2", position, version: "8.0.20"),
            Candidate("zone1-3", position, version: "5.7.44")));
    }

    [Fact]
    public void Bug_fix_only_releases_leave_the_tie_to_the_alias()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone1-1", "zone1-2"], Order(
            Candidate("zone1-2", position, version: "8.0.35"),
            Candidate("zone1-1", position, version: "8.0.42")));
        Assert.Equal(["zone1-2", "zone1-1"], Order(
            Candidate("zone1-2", position, version: "8.0.20"),
            Candidate("zone1-1", position, version: "8.0.35")));
    }

    [Fact]
    public void A_lower_server_version_never_beats_a_more_advanced_position_or_a_better_rule()
    {
        Assert.Equal(["zone1-2", "zone1-3", "zone1-1"], Order(
            Candidate("zone1-1", My($"{UuidA}:1-9"), version: "8.0.20"),
            Candidate("zone1-2", My($"{UuidA}:1-10"), version: "8.4.3"),
            Candidate("zone1-3", My($"{UuidA}:1-10"), rule: PromotionRule.PreferNot, version: "8.0.20")));
    }

    [Fact]
    public void The_server_version_breaks_ties_before_buffer_pool_data()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone1-2", "zone1-1"], Order(
            Candidate("zone1-1", position, bufferPool: 900, version: "8.4.0"),
            Candidate("zone1-2", position, bufferPool: 100, version: "8.0.40")));
    }

    [Fact]
    public void Versions_spanning_MySQL_and_MariaDB_are_not_used()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone1-1", "zone1-2"], Order(
            Candidate("zone1-2", position, version: "8.0.40"),
            Candidate("zone1-1", position, version: "10.11.6")));
        Assert.Equal(["zone1-2", "zone1-1"], Order(
            Candidate("zone1-2", position, version: "10.6.20"),
            Candidate("zone1-1", position, version: "10.11.6")));
    }

    [Fact]
    public void Buffer_pool_data_is_ignored_when_one_candidate_lacks_it()
    {
        var position = My($"{UuidA}:1-10");
        Assert.Equal(["zone1-2", "zone1-1", "zone1-3"], Order(
            Candidate("zone1-1", position, bufferPool: 500),
            Candidate("zone1-2", position, rule: PromotionRule.Prefer, bufferPool: 100),
            Candidate("zone1-3", position)));
    }

    [Fact]
    public void Ordering_does_not_depend_on_input_order()
    {
        var candidates = new[]
        {
            Candidate("zone1-1", My($"{UuidA}:1-10")),
            Candidate("zone1-2", My($"{UuidA}:1-10")),
            Candidate("zone1-3", My($"{UuidA}:1-12")),
            Candidate("zone2-1", My($"{UuidA}:1-9")),
        };
        var expected = Order(candidates);
        Assert.Equal(expected, Order(candidates.Reverse().ToArray()));
        Assert.Equal(["zone1-3", "zone1-1", "zone1-2", "zone2-1"], expected);
    }

    [Fact]
    public void Incomparable_positions_are_split_brain()
    {
        var sorted = CandidateOrdering.Sort([
            Candidate("zone1-1", My($"{UuidA}:1-10")),
            Candidate("zone1-2", My($"{UuidA}:1-8,{UuidB}:1"))]);
        var split = CandidateOrdering.FindSplitBrain(sorted);
        Assert.NotNull(split);
        Assert.Equal(["zone1-1", "zone1-2"], new[] { split.Value.First.Alias, split.Value.Second.Alias });
    }

    [Fact]
    public void Mutually_contained_but_different_mariadb_positions_are_split_brain()
    {
        var sorted = CandidateOrdering.Sort([
            Candidate("zone1-1", Maria("0-1-100"), ReplicationPosition.Empty),
            Candidate("zone1-2", Maria("0-2-100"), ReplicationPosition.Empty)]);
        var split = CandidateOrdering.FindSplitBrain(sorted);
        Assert.NotNull(split);
        Assert.Contains("contain each other but differ", split.Value.Why);
    }

    [Fact]
    public void A_chain_of_positions_has_no_split_brain()
    {
        var sorted = CandidateOrdering.Sort([
            Candidate("zone1-1", My($"{UuidA}:1-10")),
            Candidate("zone1-2", My($"{UuidA}:1-8")),
            Candidate("zone1-3", My($"{UuidA}:1-10"))]);
        Assert.Null(CandidateOrdering.FindSplitBrain(sorted));
    }
}

public class CandidateOrderingModelTests
{
    // The reference: count strict dominations with plain containment tests both ways, no shortcuts.
    private static string[] ModelOrder(IReadOnlyList<RankedCandidate> candidates)
    {
        int n = candidates.Count;
        var keys = new (int Combined, int Executed)[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }
                var a = candidates[i].Position;
                var b = candidates[j].Position;
                if (b.Combined.Contains(a.Combined) && !a.Combined.Contains(b.Combined))
                {
                    keys[i].Combined++;
                }
                else if (a.Combined.Equals(b.Combined) && b.Executed.Contains(a.Executed) && !a.Executed.Contains(b.Executed))
                {
                    keys[i].Executed++;
                }
            }
        }
        return Enumerable.Range(0, n)
            .OrderBy(i => keys[i].Combined).ThenBy(i => keys[i].Executed).ThenBy(i => candidates[i].Rule)
            .ThenBy(i => candidates[i].Alias, TabletAliasOrder.Instance)
            .Select(i => candidates[i].Alias).ToArray();
    }

    [Fact]
    public void Sort_matches_the_plain_containment_model_on_random_positions()
    {
        var random = new Random(7);
        string[] uuids = [UuidA, UuidB, UuidC];
        for (int round = 0; round < 200; round++)
        {
            int n = random.Next(1, 9);
            var candidates = new List<RankedCandidate>();
            for (int i = 0; i < n; i++)
            {
                var parts = new List<string>();
                foreach (var uuid in uuids)
                {
                    if (random.Next(3) == 0)
                    {
                        continue;
                    }
                    int end = random.Next(1, 6);
                    parts.Add(random.Next(4) == 0 && end > 2 ? $"{uuid}:1:3-{end}" : $"{uuid}:1-{end}");
                }
                var combined = My(string.Join(",", parts));
                var executed = random.Next(2) == 0 ? combined : My(parts.Count > 0 ? parts[0] : "");
                var rule = (PromotionRule)random.Next(0, 5);
                candidates.Add(new RankedCandidate(Replica($"zone{random.Next(1, 3)}-{100 + i}"), new CandidatePosition(combined, executed), rule));
            }
            Assert.Equal(ModelOrder(candidates), CandidateOrdering.Sort(candidates).Select(c => c.Alias).ToArray());
        }
    }
}
