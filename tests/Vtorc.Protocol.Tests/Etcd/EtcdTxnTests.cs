using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class EtcdTxnTests(EtcdFixture fixture)
{
    private readonly EtcdClient _client = fixture.Client;

    [Fact]
    public async Task Create_if_absent_succeeds_once_then_takes_the_failure_branch()
    {
        var key = EtcdFixture.NewPrefix(nameof(Create_if_absent_succeeds_once_then_takes_the_failure_branch)) + "k";

        var first = await _client.TxnAsync([EtcdCompare.KeyAbsent(key)], [EtcdOp.Put(key, "first")], [EtcdOp.Get(key)]);
        var second = await _client.TxnAsync([EtcdCompare.KeyAbsent(key)], [EtcdOp.Put(key, "second")], [EtcdOp.Get(key)]);

        Assert.True(first.Succeeded);
        Assert.NotNull(Assert.Single(first.Responses).ResponsePut);
        Assert.False(second.Succeeded);
        var existing = Assert.Single(Assert.Single(second.Responses).ResponseRange.Kvs);
        Assert.Equal("first", existing.Value.ToStringUtf8());
        Assert.Equal(first.Header.Revision, existing.ModRevision);
        Assert.Equal("first", (await _client.GetAsync(key))!.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Compare_on_mod_revision_guards_an_update()
    {
        var key = EtcdFixture.NewPrefix(nameof(Compare_on_mod_revision_guards_an_update)) + "k";
        var put = await _client.PutAsync(key, "v1");
        var version = put.Header.Revision;

        var stale = await _client.TxnAsync([EtcdCompare.ModRevisionIs(key, version - 1)], [EtcdOp.Put(key, "stale")]);
        var current = await _client.TxnAsync([EtcdCompare.ModRevisionIs(key, version)], [EtcdOp.Put(key, "v2")]);

        Assert.False(stale.Succeeded);
        Assert.Empty(stale.Responses);
        Assert.True(current.Succeeded);
        var got = await _client.GetAsync(key);
        Assert.Equal("v2", got!.Value.ToStringUtf8());
        Assert.Equal(current.Header.Revision, got.ModRevision);
    }

    [Fact]
    public async Task Compare_on_value_and_create_revision_pick_the_right_branch()
    {
        var key = EtcdFixture.NewPrefix(nameof(Compare_on_value_and_create_revision_pick_the_right_branch)) + "k";
        var created = await _client.PutAsync(key, "abc");
        var eq = Etcdserverpb.Compare.Types.CompareResult.Equal;
        var greater = Etcdserverpb.Compare.Types.CompareResult.Greater;

        var valueMatches = await _client.TxnAsync([EtcdCompare.Value(key, eq, Google.Protobuf.ByteString.CopyFromUtf8("abc"))], []);
        var valueDiffers = await _client.TxnAsync([EtcdCompare.Value(key, eq, Google.Protobuf.ByteString.CopyFromUtf8("xyz"))], []);
        var createdAt = await _client.TxnAsync([EtcdCompare.CreateRevision(key, eq, created.Header.Revision)], []);
        var versionAbove = await _client.TxnAsync([EtcdCompare.Version(key, greater, 1)], []);

        Assert.True(valueMatches.Succeeded);
        Assert.False(valueDiffers.Succeeded);
        Assert.True(createdAt.Succeeded);
        Assert.False(versionAbove.Succeeded);
    }

    [Fact]
    public async Task Delete_guarded_by_version_deletes_only_when_it_matches()
    {
        var key = EtcdFixture.NewPrefix(nameof(Delete_guarded_by_version_deletes_only_when_it_matches)) + "k";
        var put = await _client.PutAsync(key, "v");

        var wrong = await _client.TxnAsync([EtcdCompare.ModRevisionIs(key, put.Header.Revision + 100)], [EtcdOp.Delete(key)], [EtcdOp.Get(key)]);
        var right = await _client.TxnAsync([EtcdCompare.ModRevisionIs(key, put.Header.Revision)], [EtcdOp.Delete(key)], [EtcdOp.Get(key)]);

        Assert.False(wrong.Succeeded);
        Assert.Single(wrong.Responses[0].ResponseRange.Kvs);
        Assert.True(right.Succeeded);
        Assert.Equal(1, right.Responses[0].ResponseDeleteRange.Deleted);
        Assert.Null(await _client.GetAsync(key));
    }

    [Fact]
    public async Task Duplicate_key_in_a_txn_is_an_invalid_argument_naming_the_operation()
    {
        var key = EtcdFixture.NewPrefix(nameof(Duplicate_key_in_a_txn_is_an_invalid_argument_naming_the_operation)) + "k";

        var error = await Assert.ThrowsAsync<EtcdException>(() =>
            _client.TxnAsync([EtcdCompare.KeyAbsent(key)], [EtcdOp.Put(key, "a"), EtcdOp.Put(key, "b")]));

        Assert.Equal(EtcdErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("Txn", error.Operation);
        Assert.Contains("duplicate key", error.Message);
    }
}
