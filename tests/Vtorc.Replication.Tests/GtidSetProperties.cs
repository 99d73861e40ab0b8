using FsCheck;
using FsCheck.Fluent;

namespace Vtorc.Replication.Tests;

public sealed class GtidSetProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static void Holds<T>(Arbitrary<T> arb, Func<T, bool> property) => Check.One(Config, Prop.ForAll(arb, property));

    [Fact]
    public void Union_is_commutative() => Holds(GtidGenerators.PairArb, p => p.Item1.Union(p.Item2).Equals(p.Item2.Union(p.Item1)));

    [Fact]
    public void Union_is_associative() => Holds(GtidGenerators.TripleArb,
        t => t.Item1.Union(t.Item2).Union(t.Item3).Equals(t.Item1.Union(t.Item2.Union(t.Item3))));

    [Fact]
    public void Union_is_idempotent() => Holds(GtidGenerators.SetArb, a => a.Union(a).Equals(a) && a.Union(GtidSet.Parse(a.ToString())).Equals(a));

    [Fact]
    public void Each_operand_is_contained_in_the_union() => Holds(GtidGenerators.PairArb,
        p => p.Item1.Union(p.Item2).Contains(p.Item1) && p.Item1.Union(p.Item2).Contains(p.Item2));

    [Fact]
    public void Union_minus_the_second_operand_is_inside_the_first() => Holds(GtidGenerators.PairArb,
        p => p.Item1.Contains(p.Item1.Union(p.Item2).Subtract(p.Item2)));

    [Fact]
    public void Contains_holds_exactly_when_the_difference_is_empty() => Holds(GtidGenerators.PairArb,
        p => p.Item1.Contains(p.Item2) == p.Item2.Subtract(p.Item1).IsEmpty);

    [Fact]
    public void Format_then_parse_is_the_identity_on_canonical_text() => Holds(GtidGenerators.SetArb, a =>
    {
        string text = a.ToString();
        var parsed = GtidSet.Parse(text);
        return parsed.Equals(a) && parsed.ToString() == text && ReplicationPosition.Parse("MySQL56/" + text).ToString() == "MySQL56/" + text;
    });

    [Fact]
    public void Parse_accepts_any_order_split_and_spacing_of_the_same_set() => Holds(
        Arb.From(Gen.Zip(GtidGenerators.Set, Gen.Choose(0, int.MaxValue))), p =>
        {
            var (set, seed) = p;
            var random = new Random(seed);
            var elements = new List<string>();
            foreach (var uuid in set.Uuids)
            {
                foreach (var interval in set.Intervals(uuid))
                {
                    // Split some intervals at a random point so that parsing has adjacent pieces to merge.
                    if (interval.End > interval.Start && random.Next(2) == 0)
                    {
                        long cut = random.NextInt64(interval.Start, interval.End);
                        elements.Add($"{uuid}:{cut + 1}-{interval.End}:{interval.Start}-{cut}");
                    }
                    else
                    {
                        elements.Add($"{uuid.ToString().ToUpperInvariant()}:{interval.Start}-{interval.End}");
                    }
                }
            }
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(elements));
            return GtidSet.Parse(string.Join(random.Next(2) == 0 ? ",\n" : " , ", elements)).Equals(set);
        });

    [Fact]
    public void Count_of_union_plus_intersection_is_the_sum_of_counts() => Holds(GtidGenerators.PairArb,
        p => p.Item1.Union(p.Item2).Count + p.Item1.Intersect(p.Item2).Count == p.Item1.Count + p.Item2.Count);

    [Fact]
    public void Operations_agree_with_the_explicit_model() => Holds(GtidGenerators.PairArb, p =>
    {
        var (a, b) = p;
        var modelA = GtidGenerators.Model(a);
        var modelB = GtidGenerators.Model(b);
        var union = new HashSet<(ServerUuid, long)>(modelA);
        union.UnionWith(modelB);
        var difference = new HashSet<(ServerUuid, long)>(modelA);
        difference.ExceptWith(modelB);
        var intersection = new HashSet<(ServerUuid, long)>(modelA);
        intersection.IntersectWith(modelB);
        return GtidGenerators.Model(a.Union(b)).SetEquals(union)
            && GtidGenerators.Model(a.Subtract(b)).SetEquals(difference)
            && GtidGenerators.Model(a.Intersect(b)).SetEquals(intersection)
            && a.Contains(b) == modelB.IsSubsetOf(modelA)
            && a.Count == modelA.Count;
    });

    [Fact]
    public void Results_are_canonical() => Holds(GtidGenerators.PairArb, p =>
    {
        foreach (var result in new[] { p.Item1.Union(p.Item2), p.Item1.Subtract(p.Item2), p.Item1.Intersect(p.Item2) })
        {
            for (int i = 0; i < result.UuidCount; i++)
            {
                var intervals = result.Intervals(result.Uuids[i]);
                if (intervals.Count == 0 || (i > 0 && result.Uuids[i - 1] >= result.Uuids[i]))
                {
                    return false;
                }
                for (int k = 1; k < intervals.Count; k++)
                {
                    if (intervals[k].Start <= intervals[k - 1].End + 1)
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    });

    [Fact]
    public void Equal_sets_have_equal_hash_codes() => Holds(GtidGenerators.SetArb, a => GtidSet.Parse(a.ToString()).GetHashCode() == a.GetHashCode());
}
