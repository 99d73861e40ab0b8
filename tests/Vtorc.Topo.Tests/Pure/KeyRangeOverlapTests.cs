using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class KeyRangeOverlapTests
{
    [Theory]
    [InlineData("-80", "80-", false)]
    [InlineData("-80", "40-c0", true)]
    [InlineData("-", "40-80", true)]
    [InlineData("40-80", "80-c0", false)]
    [InlineData("40-80", "7f-", true)]
    [InlineData("0", "-80", true)]
    public void Ranges_overlap_when_they_share_a_keyspace_id(string a, string b, bool expected)
    {
        Assert.Equal(expected, KeyRangeOverlap.Intersect(KeyRanges.FromShardName(a), KeyRanges.FromShardName(b)));
        Assert.Equal(expected, KeyRangeOverlap.Intersect(KeyRanges.FromShardName(b), KeyRanges.FromShardName(a)));
    }
}
