using System.Text;
using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class DirectoryListingTests
{
    private static (byte[], long) K(string key, long lease = 0) => (Encoding.UTF8.GetBytes(key), lease);

    [Fact]
    public void Entries_are_the_first_component_after_the_prefix()
    {
        var entries = DirectoryListing.FromKeys("/g/keyspaces/ks/shards/0/", [
            K("/g/keyspaces/ks/shards/0/Shard"),
            K("/g/keyspaces/ks/shards/0/locks/1", lease: 1),
            K("/g/keyspaces/ks/shards/0/locks/2", lease: 2),
        ]);
        Assert.Equal(
            [new DirEntry("Shard", false, false), new DirEntry("locks", true, true)],
            entries);
    }

    [Fact]
    public void Ephemeral_is_decided_by_the_first_key_of_the_entry()
    {
        var entries = DirectoryListing.FromKeys("/p/", [K("/p/locks/1", 0), K("/p/locks/2", 7)]);
        Assert.Equal([new DirEntry("locks", true, false)], entries);
    }

    [Fact]
    public void A_name_split_by_a_sibling_in_key_order_is_listed_once()
    {
        var entries = DirectoryListing.FromKeys("/p/", [K("/p/a"), K("/p/a-x"), K("/p/a/b")]);
        Assert.Equal([new DirEntry("a", true, false), new DirEntry("a-x", false, false)], entries);
    }
}
