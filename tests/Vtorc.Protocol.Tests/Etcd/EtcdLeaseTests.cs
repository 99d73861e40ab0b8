using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class EtcdLeaseTests(EtcdFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly EtcdClient _client = fixture.Client;

    [Fact]
    public async Task Expired_lease_deletes_its_key_while_a_kept_alive_lease_keeps_its_key()
    {
        var prefix = EtcdFixture.NewPrefix(nameof(Expired_lease_deletes_its_key_while_a_kept_alive_lease_keeps_its_key));
        // The kept lease is granted first, so without renewals it would expire no later than the other one.
        // 3 s rather than the 1 s minimum leaves the keeper (renewing every second) slack on a loaded machine.
        var kept = await _client.LeaseGrantAsync(3);
        var abandoned = await _client.LeaseGrantAsync(3);
        await using var keeper = _client.KeepAlive(kept.ID, kept.TTL);
        await _client.PutAsync(prefix + "kept", "x", kept.ID);
        await _client.PutAsync(prefix + "abandoned", "x", abandoned.ID);

        await Poll.UntilAsync(async () => await _client.GetAsync(prefix + "abandoned") is null, Patience, "the abandoned lease's key is deleted");

        Assert.NotNull(await _client.GetAsync(prefix + "kept"));
        Assert.False(keeper.IsLost);
        Assert.True(keeper.Renewals > 0);
        Assert.Equal(-1, (await _client.LeaseTimeToLiveAsync(abandoned.ID)).TTL);
        await _client.LeaseRevokeAsync(kept.ID);
    }

    [Fact]
    public async Task Keepalive_once_renews_a_live_lease_and_reports_a_revoked_one_as_lost()
    {
        var lease = await _client.LeaseGrantAsync(30);

        var live = await _client.LeaseKeepAliveOnceAsync(lease.ID);
        await _client.LeaseRevokeAsync(lease.ID);
        var gone = await _client.LeaseKeepAliveOnceAsync(lease.ID);

        Assert.Equal(30, live);
        Assert.True(gone <= 0, $"expected TTL <= 0 for a revoked lease, got {gone}");
    }

    [Fact]
    public async Task Revoke_deletes_the_keys_attached_to_the_lease()
    {
        var key = EtcdFixture.NewPrefix(nameof(Revoke_deletes_the_keys_attached_to_the_lease)) + "k";
        var lease = await _client.LeaseGrantAsync(30);
        await _client.PutAsync(key, "x", lease.ID);

        await _client.LeaseRevokeAsync(lease.ID);

        Assert.Null(await _client.GetAsync(key));
    }

    [Fact]
    public async Task Keeper_reports_lost_when_the_lease_is_revoked_behind_its_back()
    {
        var lease = await _client.LeaseGrantAsync(3);
        await using var keeper = _client.KeepAlive(lease.ID, lease.TTL);
        await Poll.UntilAsync(() => Task.FromResult(keeper.Renewals > 0), Patience, "the keeper renewed once");

        await _client.LeaseRevokeAsync(lease.ID);
        var loss = await keeper.Lost.WaitAsync(Patience);

        Assert.Equal(lease.ID, loss.LeaseId);
        Assert.Contains("not found", loss.Reason);
        Assert.True(keeper.LostToken.IsCancellationRequested);
        Assert.True(keeper.IsLost);
    }

    [Fact]
    public async Task Disposing_a_keeper_cancels_lost_without_reporting_a_loss()
    {
        var lease = await _client.LeaseGrantAsync(30);
        var keeper = _client.KeepAlive(lease.ID, lease.TTL);

        await keeper.DisposeAsync();

        Assert.True(keeper.Lost.IsCanceled);
        Assert.False(keeper.LostToken.IsCancellationRequested);
        Assert.True((await _client.LeaseTimeToLiveAsync(lease.ID)).TTL > 0);
        await _client.LeaseRevokeAsync(lease.ID);
    }

    [Fact]
    public async Task Revoking_an_unknown_lease_is_lease_not_found()
    {
        var error = await Assert.ThrowsAsync<EtcdException>(() => _client.LeaseRevokeAsync(0x7eadbeef12345));

        Assert.Equal(EtcdErrorKind.LeaseNotFound, error.Kind);
        Assert.Equal(global::Grpc.Core.StatusCode.NotFound, error.Status);
        Assert.Contains("requested lease not found", error.Message);
        Assert.Contains("LeaseRevoke", error.Message);
    }

    [Fact]
    public async Task Put_with_an_unknown_lease_is_lease_not_found_naming_the_key()
    {
        var key = EtcdFixture.NewPrefix(nameof(Put_with_an_unknown_lease_is_lease_not_found_naming_the_key)) + "k";

        var error = await Assert.ThrowsAsync<EtcdException>(() => _client.PutAsync(key, "x", 0x7eadbeef12346));

        Assert.Equal(EtcdErrorKind.LeaseNotFound, error.Kind);
        Assert.Equal(key, error.Key);
    }
}
