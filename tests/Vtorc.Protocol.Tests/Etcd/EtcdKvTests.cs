using Etcdserverpb;
using Google.Protobuf;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class EtcdKvTests(EtcdFixture fixture)
{
    private readonly EtcdClient _client = fixture.Client;

    [Fact]
    public async Task Put_then_get_returns_the_value_and_delete_removes_it()
    {
        var key = EtcdFixture.NewPrefix(nameof(Put_then_get_returns_the_value_and_delete_removes_it)) + "k";

        var put = await _client.PutAsync(key, "hello");
        var got = await _client.GetAsync(key);

        Assert.NotNull(got);
        Assert.Equal("hello", got.Value.ToStringUtf8());
        Assert.Equal(put.Header.Revision, got.ModRevision);
        Assert.Equal(1, got.Version);

        var deleted = await _client.DeleteAsync(key);
        Assert.Equal(1, deleted.Deleted);
        Assert.Null(await _client.GetAsync(key));
        Assert.Equal(0, (await _client.DeleteAsync(key)).Deleted);
    }

    [Fact]
    public async Task Second_put_bumps_version_and_mod_revision_but_keeps_create_revision()
    {
        var key = EtcdFixture.NewPrefix(nameof(Second_put_bumps_version_and_mod_revision_but_keeps_create_revision)) + "k";
        var first = await _client.PutAsync(key, ByteString.CopyFrom(1, 2, 3));
        var second = await _client.PutAsync(key, ByteString.CopyFrom(4, 5));

        var got = await _client.GetAsync(key);

        Assert.NotNull(got);
        Assert.Equal(first.Header.Revision, got.CreateRevision);
        Assert.Equal(second.Header.Revision, got.ModRevision);
        Assert.Equal(2, got.Version);
        Assert.Equal(new byte[] { 4, 5 }, got.Value.ToByteArray());
    }

    [Fact]
    public async Task Prefix_range_sees_only_keys_under_the_prefix_with_limit_sort_keys_only_and_count_only()
    {
        var prefix = EtcdFixture.NewPrefix(nameof(Prefix_range_sees_only_keys_under_the_prefix_with_limit_sort_keys_only_and_count_only));
        foreach (var name in new[] { "b", "a", "c", "d" })
        {
            await _client.PutAsync(prefix + name, "value-" + name);
        }
        // A sibling that shares the prefix text without the slash must stay out.
        await _client.PutAsync(prefix.TrimEnd('/') + "0", "outside");

        var all = await _client.GetPrefixAsync(prefix);
        Assert.Equal(["a", "b", "c", "d"], all.Kvs.Select(kv => kv.Key.ToStringUtf8()[prefix.Length..]));
        Assert.Equal(4, all.Count);

        var newestTwo = await _client.GetPrefixAsync(prefix, r =>
        {
            r.Limit = 2;
            r.SortTarget = RangeRequest.Types.SortTarget.Mod;
            r.SortOrder = RangeRequest.Types.SortOrder.Descend;
        });
        Assert.Equal(["d", "c"], newestTwo.Kvs.Select(kv => kv.Key.ToStringUtf8()[prefix.Length..]));
        Assert.True(newestTwo.More);
        Assert.Equal(4, newestTwo.Count);

        var keysOnly = await _client.GetPrefixAsync(prefix, r => r.KeysOnly = true);
        Assert.Equal(4, keysOnly.Kvs.Count);
        Assert.All(keysOnly.Kvs, kv => Assert.True(kv.Value.IsEmpty));
        Assert.All(keysOnly.Kvs, kv => Assert.True(kv.ModRevision > 0));

        var countOnly = await _client.GetPrefixAsync(prefix, r => r.CountOnly = true);
        Assert.Empty(countOnly.Kvs);
        Assert.Equal(4, countOnly.Count);
    }

    [Fact]
    public async Task Range_with_max_mod_revision_drops_newer_keys()
    {
        var prefix = EtcdFixture.NewPrefix(nameof(Range_with_max_mod_revision_drops_newer_keys));
        var older = await _client.PutAsync(prefix + "older", "1");
        await _client.PutAsync(prefix + "newer", "2");

        var response = await _client.GetPrefixAsync(prefix, r => r.MaxModRevision = older.Header.Revision);

        Assert.Equal([prefix + "older"], response.Kvs.Select(kv => kv.Key.ToStringUtf8()));
    }

    [Fact]
    public async Task Range_at_an_old_revision_returns_the_old_value()
    {
        var key = EtcdFixture.NewPrefix(nameof(Range_at_an_old_revision_returns_the_old_value)) + "k";
        var first = await _client.PutAsync(key, "old");
        await _client.PutAsync(key, "new");

        var response = await _client.RangeAsync(new RangeRequest { Key = EtcdKeys.Key(key), Revision = first.Header.Revision });

        Assert.Equal("old", Assert.Single(response.Kvs).Value.ToStringUtf8());
    }

    [Fact]
    public async Task Delete_prefix_removes_every_key_under_it()
    {
        var prefix = EtcdFixture.NewPrefix(nameof(Delete_prefix_removes_every_key_under_it));
        await _client.PutAsync(prefix + "x", "1");
        await _client.PutAsync(prefix + "y/z", "2");

        var deleted = await _client.DeletePrefixAsync(prefix);

        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(0, (await _client.GetPrefixAsync(prefix, r => r.CountOnly = true)).Count);
    }

    [Fact]
    public async Task Status_reports_the_server_version()
    {
        var status = await _client.StatusAsync();

        Assert.StartsWith("3.", status.Version);
        Assert.NotEqual(0ul, status.Leader);
    }
}
