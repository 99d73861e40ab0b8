using FsCheck;
using FsCheck.Fluent;

namespace Vtorc.Replication.Tests;

/// <summary>FsCheck generators for GTID sets drawn from a small UUID pool and small numbers, so that overlaps, adjacency and shared UUIDs are frequent.</summary>
internal static class GtidGenerators
{
    private static readonly ServerUuid[] Pool =
    [
        ServerUuid.Parse(Uuids.A), ServerUuid.Parse(Uuids.B), ServerUuid.Parse(Uuids.C),
        ServerUuid.Parse(Uuids.D), ServerUuid.Parse(Uuids.E), ServerUuid.Parse("80000000-0000-0000-0000-000000000000"),
    ];

    public static Gen<ServerUuid> Uuid { get; } = Gen.Elements(Pool);

    public static Gen<GtidInterval> Interval { get; } =
        from start in Gen.Choose(1, 60)
        from length in Gen.Choose(0, 8)
        select new GtidInterval(start, start + length);

    public static Gen<GtidSet> Set { get; } =
        from entries in Gen.ListOf(Gen.Zip(Uuid, Interval))
        select GtidSet.Create(entries.Select(e => (e.Item1, e.Item2)));

    public static Arbitrary<GtidSet> SetArb { get; } = Arb.From(Set);

    public static Arbitrary<(GtidSet, GtidSet)> PairArb { get; } = Arb.From(Gen.Zip(Set, Set));

    public static Arbitrary<(GtidSet, GtidSet, GtidSet)> TripleArb { get; } =
        Arb.From(from a in Set from b in Set from c in Set select (a, b, c));

    /// <summary>The set as an explicit list of (uuid, sequence) pairs: the model the algebra is checked against.</summary>
    public static HashSet<(ServerUuid, long)> Model(GtidSet set)
    {
        var model = new HashSet<(ServerUuid, long)>();
        foreach (var uuid in set.Uuids)
        {
            foreach (var interval in set.Intervals(uuid))
            {
                for (long n = interval.Start; n <= interval.End; n++)
                {
                    model.Add((uuid, n));
                }
            }
        }
        return model;
    }
}
