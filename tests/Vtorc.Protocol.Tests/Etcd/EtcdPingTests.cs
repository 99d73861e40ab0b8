using Google.Protobuf;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

/// <summary>HTTP/2 PINGs towards etcd: none by default, keepalive pings only when configured (docs/etcd-client.md, "Connections").</summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class EtcdPingTests(EtcdFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Client_sends_no_PING_frames_to_etcd_during_reads_writes_watches_and_lease_keepalives()
    {
        await using var proxy = new Http2FrameCountingProxy(fixture.Etcd.ClientPort);
        await using var client = ClientThrough(proxy, keepAlivePingInterval: null);
        var prefix = EtcdFixture.NewPrefix(nameof(Client_sends_no_PING_frames_to_etcd_during_reads_writes_watches_and_lease_keepalives));
        var lease = await client.LeaseGrantAsync(3);
        await using var keeper = client.KeepAlive(lease.ID, lease.TTL);
        await using var watch = await client.WatchPrefixAsync(prefix);
        // Large values are what makes SocketsHttpHandler's window-sizing RTT pings fire when they are enabled.
        var value = ByteString.CopyFrom(new byte[200_000]);

        for (var i = 0; i < 20; i++)
        {
            await client.PutAsync($"{prefix}{i:D2}", value);
        }
        var all = await client.GetPrefixAsync(prefix);
        var watched = 0;
        await foreach (var response in watch.ReadAllAsync())
        {
            watched += response.Events.Count;
            if (watched >= 20)
            {
                break;
            }
        }
        await Poll.UntilAsync(() => Task.FromResult(keeper.Renewals >= 2), Patience, "two lease renewals");

        Assert.Equal(20, all.Kvs.Count);
        Assert.True(proxy.ClientFrames > 40, $"the proxy saw only {proxy.ClientFrames} client frames");
        Assert.Equal(0, proxy.ClientPings);
    }

    [Fact]
    public async Task With_a_keepalive_interval_the_client_pings_etcd_while_a_watch_is_open()
    {
        await using var proxy = new Http2FrameCountingProxy(fixture.Etcd.ClientPort);
        // etcd's default --grpc-keepalive-min-time; more frequent pings would earn strikes.
        await using var client = ClientThrough(proxy, keepAlivePingInterval: TimeSpan.FromSeconds(5));
        var prefix = EtcdFixture.NewPrefix(nameof(With_a_keepalive_interval_the_client_pings_etcd_while_a_watch_is_open));

        await using var watch = await client.WatchPrefixAsync(prefix);

        await Poll.UntilAsync(() => Task.FromResult(proxy.ClientPings > 0), Patience, "a keepalive PING from the client");
    }

    private static EtcdClient ClientThrough(Http2FrameCountingProxy proxy, TimeSpan? keepAlivePingInterval) => new(new EtcdClientOptions
    {
        Endpoints = ["127.0.0.1:" + proxy.Port],
        DefaultCallTimeout = Patience,
        KeepAlivePingInterval = keepAlivePingInterval,
    });
}
