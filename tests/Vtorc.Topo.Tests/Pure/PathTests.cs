using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class PathTests
{
    [Theory]
    [InlineData(new[] { "/vitess/global", "cells/zone1/CellInfo" }, "/vitess/global/cells/zone1/CellInfo")]
    [InlineData(new[] { "/vitess/global/", "keyspaces/ks/Keyspace" }, "/vitess/global/keyspaces/ks/Keyspace")]
    [InlineData(new[] { "/", "cells" }, "/cells")]
    [InlineData(new[] { "", "" }, "")]
    [InlineData(new[] { "", "a" }, "a")]
    [InlineData(new[] { "a", "" }, "a")]
    [InlineData(new[] { "/a//b/", "./c/../d" }, "/a/b/d")]
    [InlineData(new[] { "/", ".." }, "/")]
    [InlineData(new[] { "a", "../.." }, "..")]
    [InlineData(new[] { "a", ".." }, ".")]
    public void Join_has_go_semantics(string[] elements, string expected) =>
        Assert.Equal(expected, GoPath.Join(elements));

    [Fact]
    public void Relative_record_paths_match_the_vitess_layout()
    {
        Assert.Equal("cells/zone1/CellInfo", TopoPaths.CellInfo("zone1"));
        Assert.Equal("keyspaces/commerce/Keyspace", TopoPaths.Keyspace("commerce"));
        Assert.Equal("keyspaces/commerce/shards/-80/Shard", TopoPaths.Shard("commerce", "-80"));
        Assert.Equal("keyspaces/commerce/shards/0/ShardReplication", TopoPaths.ShardReplication("commerce", "0"));
        Assert.Equal("tablets/zone1-0000000100/Tablet", TopoPaths.Tablet("zone1", 100));
        Assert.Equal("keyspaces/commerce/shards/0/locks", TopoPaths.LockQueue(TopoPaths.ShardDir("commerce", "0")));
        Assert.Equal("keyspaces/commerce/locks", TopoPaths.LockQueue(TopoPaths.KeyspaceDir("commerce")));
        Assert.Equal(
            "/vitess/zone1/tablets/zone1-0000000100/Tablet",
            TopoKeys.File("/vitess/zone1/", TopoPaths.Tablet("zone1", 100)));
    }

    [Theory]
    [InlineData("/vitess/global", "cells", "/vitess/global/cells/")]
    [InlineData("/vitess/global/", "keyspaces/ks/shards/0/locks", "/vitess/global/keyspaces/ks/shards/0/locks/")]
    [InlineData("/", "", "/")]
    [InlineData("/", "cells", "/cells/")]
    public void Directory_prefix_ends_with_one_slash(string root, string dir, string expected) =>
        Assert.Equal(expected, TopoKeys.DirectoryPrefix(root, dir));

    [Fact]
    public void Lock_queue_prefix_end_is_locks0()
    {
        var prefix = TopoKeys.DirectoryPrefix("/vitess/global", TopoPaths.LockQueue(TopoPaths.KeyspaceDir("ks")));
        Assert.Equal("/vitess/global/keyspaces/ks/locks0", Vtorc.Protocol.Etcd.EtcdKeys.PrefixEnd(prefix).ToStringUtf8());
    }
}
