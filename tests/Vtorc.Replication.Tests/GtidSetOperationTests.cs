namespace Vtorc.Replication.Tests;

public sealed class GtidSetOperationTests
{
    private static GtidSet S(string text) => GtidSet.Parse(text);

    private const string A = Uuids.A;
    private const string B = Uuids.B;
    private const string C = Uuids.C;

    [Theory]
    [InlineData("", "", "")]
    [InlineData(A + ":1-5", "", A + ":1-5")]
    [InlineData("", A + ":1-5", A + ":1-5")]
    [InlineData(A + ":1-5", A + ":6-9", A + ":1-9")]
    [InlineData(A + ":1-5", A + ":7-9", A + ":1-5:7-9")]
    [InlineData(A + ":1-5:7-9", A + ":6", A + ":1-9")]
    [InlineData(A + ":1-5", A + ":3-12", A + ":1-12")]
    [InlineData(A + ":1-5:10-15:20-25", A + ":4-21", A + ":1-25")]
    [InlineData(A + ":1-5", A + ":1-5", A + ":1-5")]
    [InlineData(A + ":3", A + ":1-2:4", A + ":1-4")]
    [InlineData(A + ":1-5", B + ":1-5", A + ":1-5," + B + ":1-5")]
    [InlineData(C + ":1-5," + A + ":2", B + ":7," + A + ":1", A + ":1-2," + B + ":7," + C + ":1-5")]
    [InlineData(A + ":9223372036854775806", A + ":9223372036854775807", A + ":9223372036854775806-9223372036854775807")]
    public void Union(string left, string right, string expected)
    {
        Assert.Equal(expected, S(left).Union(S(right)).ToString());
        Assert.Equal(expected, S(right).Union(S(left)).ToString());
    }

    [Theory]
    [InlineData("", "", "")]
    [InlineData(A + ":1-5", "", A + ":1-5")]
    [InlineData("", A + ":1-5", "")]
    [InlineData(A + ":1-9", A + ":4-6", A + ":1-3:7-9")]
    [InlineData(A + ":1-9", A + ":1", A + ":2-9")]
    [InlineData(A + ":1-9", A + ":9", A + ":1-8")]
    [InlineData(A + ":1-9", A + ":1-9", "")]
    [InlineData(A + ":1-9", A + ":1-100", "")]
    [InlineData(A + ":1-5:7-9", A + ":5-7", A + ":1-4:8-9")]
    [InlineData(A + ":1-20", A + ":2:4:6-8:19-30", A + ":1:3:5:9-18")]
    [InlineData(A + ":1-5:10-15:20-25", A + ":3-22", A + ":1-2:23-25")]
    [InlineData(A + ":1-5," + B + ":1-5", A + ":1-5", B + ":1-5")]
    [InlineData(A + ":1-5", B + ":1-5", A + ":1-5")]
    [InlineData(A + ":1-5," + B + ":1-5," + C + ":1-5", B + ":2-3", A + ":1-5," + B + ":1:4-5," + C + ":1-5")]
    [InlineData(A + ":10-20", A + ":1-5:25-30", A + ":10-20")]
    public void Subtract(string left, string right, string expected)
    {
        Assert.Equal(expected, S(left).Subtract(S(right)).ToString());
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData(A + ":1-5", "", true)]
    [InlineData("", A + ":1", false)]
    [InlineData(A + ":1-5", A + ":1-5", true)]
    [InlineData(A + ":1-5", A + ":2-4", true)]
    [InlineData(A + ":1-5", A + ":1", true)]
    [InlineData(A + ":1-5", A + ":5", true)]
    [InlineData(A + ":1-5", A + ":6", false)]
    [InlineData(A + ":1-5", A + ":4-6", false)]
    [InlineData(A + ":1-5:7-9", A + ":4-7", false)]
    [InlineData(A + ":1-5:7-9", A + ":6", false)]
    [InlineData(A + ":1-5:7-9", A + ":1-3:8-9", true)]
    [InlineData(A + ":1-5:6-9", A + ":4-7", true)]
    [InlineData(A + ":1-5", B + ":1", false)]
    [InlineData(A + ":1-5," + B + ":1-5", B + ":3", true)]
    [InlineData(A + ":1-5", A + ":1-5," + B + ":1", false)]
    [InlineData(A + ":1-100," + B + ":1-100," + C + ":1-100", A + ":50," + C + ":1-100", true)]
    [InlineData(A + ":1-100," + C + ":1-100", A + ":50," + B + ":1," + C + ":1-100", false)]
    public void Contains(string left, string right, bool expected)
    {
        Assert.Equal(expected, S(left).Contains(S(right)));
    }

    [Theory]
    [InlineData(A + ":1-9", A + ":4-12", A + ":4-9")]
    [InlineData(A + ":1-5:7-9", A + ":5-7", A + ":5:7")]
    [InlineData(A + ":1-5", B + ":1-5", "")]
    [InlineData(A + ":1-5," + B + ":1-5", B + ":2-3," + C + ":1", B + ":2-3")]
    public void Intersect(string left, string right, string expected)
    {
        Assert.Equal(expected, S(left).Intersect(S(right)).ToString());
        Assert.Equal(expected, S(right).Intersect(S(left)).ToString());
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData(A + ":7", 1)]
    [InlineData(A + ":1-5:7-9", 8)]
    [InlineData(A + ":1-5," + B + ":1-100", 105)]
    [InlineData(A + ":1-9223372036854775807", long.MaxValue)]
    [InlineData(A + ":1-9223372036854775807," + B + ":1-10", long.MaxValue)]
    public void Count_is_the_number_of_transactions(string text, long expected)
    {
        Assert.Equal(expected, S(text).Count);
    }

    [Fact]
    public void Last_is_the_highest_end_of_the_last_uuid_in_canonical_order()
    {
        Assert.Null(GtidSet.Empty.Last);
        var set = S(C + ":1-5:7-9," + A + ":1-1000");
        Assert.Equal(new Gtid(Uuids.U(C), 9), set.Last);
        Assert.Equal(C + ":9", set.Last!.Value.ToString());
    }

    [Fact]
    public void Contains_single_gtid()
    {
        var set = S(A + ":1-5:7-9");
        Assert.True(set.Contains(new Gtid(Uuids.U(A), 1)));
        Assert.True(set.Contains(new Gtid(Uuids.U(A), 8)));
        Assert.False(set.Contains(new Gtid(Uuids.U(A), 6)));
        Assert.False(set.Contains(new Gtid(Uuids.U(A), 10)));
        Assert.False(set.Contains(new Gtid(Uuids.U(B), 1)));
    }

    [Fact]
    public void RemoveUuid_drops_only_that_uuid()
    {
        var set = S(A + ":1-5," + B + ":1-5," + C + ":3");
        Assert.Equal(A + ":1-5," + C + ":3", set.RemoveUuid(Uuids.U(B)).ToString());
        Assert.Same(set, set.RemoveUuid(Uuids.U(Uuids.D)));
        Assert.Equal(B + ":1-5", set.RemoveUuids([Uuids.U(A), Uuids.U(C)]).ToString());
        Assert.True(set.RemoveUuids(set.Uuids).IsEmpty);
        Assert.Equal(B + ":1-5", set.KeepOnlyUuid(Uuids.U(B)).ToString());
        Assert.True(set.KeepOnlyUuid(Uuids.U(Uuids.D)).IsEmpty);
    }

    [Fact]
    public void Many_uuids_unite_and_subtract_back()
    {
        var left = GtidSet.Create(Enumerable.Range(0, 60).Select(i => (UuidNumber(i * 2), new GtidInterval(1, 100))));
        var right = GtidSet.Create(Enumerable.Range(0, 60).Select(i => (UuidNumber(i * 3), new GtidInterval(50, 150))));
        var union = left.Union(right);
        Assert.Equal(60 + 60 - 20, union.UuidCount);
        Assert.True(union.Contains(left));
        Assert.True(union.Contains(right));
        Assert.Equal(union.Subtract(right), left.Subtract(right));
        Assert.Equal(left.Count + right.Count - left.Intersect(right).Count, union.Count);
        var order = union.Uuids.ToList();
        Assert.Equal(order.OrderBy(u => u).ToList(), order);
    }

    [Fact]
    public void Create_normalises_unordered_overlapping_input()
    {
        var set = GtidSet.Create([(Uuids.U(B), new GtidInterval(5, 9)), (Uuids.U(A), new GtidInterval(3, 3)), (Uuids.U(B), new GtidInterval(1, 4))]);
        Assert.Equal(A + ":3," + B + ":1-9", set.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => GtidSet.Create(Uuids.U(A), new GtidInterval(0, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GtidSet.Create(Uuids.U(A), new GtidInterval(5, 3)));
    }

    private static ServerUuid UuidNumber(int i) => new((ulong)i * 0x0101_0101_0101_0101UL, (ulong)i);
}
