using Vtorc.Orchestrator.Discovery;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Discovery;

public sealed class ClustersToWatchTests
{
    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("  ")]
    public void EmptyFlagWatchesEveryKeyspace(string? flag)
    {
        var watch = ClustersToWatch.Parse(flag);
        Assert.True(watch.WatchesAllKeyspaces);
        Assert.True(watch.MatchesShard("anything", "-80"));
        Assert.True(watch.MatchesShard("other", "0"));
    }

    [Theory]
    // keyspace alone and keyspace/ watch the whole keyspace
    [InlineData("ks", "ks", "0", true)]
    [InlineData("ks", "ks", "-80", true)]
    [InlineData("ks", "ks", "80-", true)]
    [InlineData("ks/", "ks", "40-80", true)]
    [InlineData("ks/", "other", "0", false)]
    // ks/0 is the unsharded shard: the whole range
    [InlineData("ks/0", "ks", "0", true)]
    [InlineData("ks/0", "ks", "c0-", true)]
    // a range covers the shards contained in it, also after a split
    [InlineData("ks/-80", "ks", "-80", true)]
    [InlineData("ks/-80", "ks", "-40", true)]
    [InlineData("ks/-80", "ks", "40-80", true)]
    [InlineData("ks/-80", "ks", "80-", false)]
    [InlineData("ks/-80", "ks", "40-c0", false)]
    [InlineData("ks/-80", "ks", "0", false)]
    [InlineData("ks/-80", "ks", "-", false)]
    [InlineData("ks/80-c0", "ks", "80-a0", true)]
    [InlineData("ks/80-c0", "ks", "a0-", false)]
    // entries accumulate per keyspace
    [InlineData("ks/-40,ks/c0-", "ks", "c0-e0", true)]
    [InlineData("ks/-40,ks/c0-", "ks", "40-80", false)]
    [InlineData("ks/-40, other", "other", "-80", true)]
    public void ShardMatchesWhenContainedInAListedRange(string flag, string keyspace, string shard, bool expected)
    {
        var watch = ClustersToWatch.Parse(flag);
        Assert.False(watch.WatchesAllKeyspaces);
        Assert.Equal(expected, watch.MatchesShard(keyspace, shard));
        Assert.Equal(expected, watch.Matches(keyspace, KeyRanges.FromShardName(shard)));
    }

    [Fact]
    public void EntriesOfOneKeyspaceAreAccumulated()
    {
        var watch = ClustersToWatch.Parse("ks/-40,other/0,ks/80-c0");
        Assert.Equal(["ks", "other"], watch.Keyspaces);
        Assert.Equal(["-40", "80-c0"], watch.RangesOf("ks"));
        Assert.Equal(["-"], watch.RangesOf("other"));
    }

    [Theory]
    [InlineData("ks/zz")]
    [InlineData("ks/80-40")]
    [InlineData("ks/8-")]
    [InlineData("ks/x0-80")]
    public void AnInvalidKeyRangeIsAnErrorQuotingTheFlagValue(string entry)
    {
        var flag = "good," + entry;
        var error = Assert.Throws<FormatException>(() => ClustersToWatch.Parse(flag));
        Assert.Contains($"\"{flag}\"", error.Message);
        Assert.Contains("--clusters-to-watch", error.Message);
    }

    [Theory]
    [InlineData("/-80")]
    [InlineData("ks/-80/extra")]
    public void UnparseableEntriesAreSkippedWithAReason(string entry)
    {
        var reasons = new List<string>();
        var watch = ClustersToWatch.Parse("ks2," + entry, reasons.Add);
        Assert.Equal(["ks2"], watch.Keyspaces);
        var reason = Assert.Single(reasons);
        Assert.Contains($"\"{entry}\"", reason);
    }
}
