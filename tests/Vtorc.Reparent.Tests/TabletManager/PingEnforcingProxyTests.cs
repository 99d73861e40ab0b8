using Grpc.Core;
using Grpc.Net.Client;
using Tabletmanagerdata;
using static Tabletmanagerservice.TabletManager;

namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>
/// The proof that <see cref="Http2FrameCountingProxy"/>'s vttablet-style keepalive enforcement can fire, so that tests
/// which see it stay quiet mean something: a grpc-dotnet channel deliberately set to PING every second, through the
/// enforcing proxy to a real gRPC TabletManager server, is cut off with GOAWAY "too_many_pings". Each case waits for
/// real one-second PINGs, so each is a class of its own: xunit runs classes side by side, the cases of a class one
/// after the other.
/// </summary>
public static class PingEnforcingProxyTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public sealed class OnAnIdleConnection
    {
        [Fact]
        public async Task A_client_pinging_every_second_on_an_idle_connection_is_sent_GOAWAY_and_its_next_call_needs_a_new_connection()
        {
            await using var tablet = await LoopbackTabletManager.StartAsync();
            await using var proxy = new Http2FrameCountingProxy(tablet.Server.Port, Http2PingEnforcementPolicy.VttabletDefaults);
            using var channel = PingingEverySecond(proxy.Port);
            var client = new TabletManagerClient(channel);

            Assert.Equal("warm", (await client.PingAsync(new PingRequest { Payload = "warm" }, deadline: DateTime.UtcNow + Generous)).Payload);
            await Poll.UntilAsync(() => Task.FromResult(proxy.TooManyPingsGoAways > 0), Generous, "the proxy sent GOAWAY too_many_pings");

            Assert.Equal(1, proxy.ConnectionsAccepted);
            Assert.True(proxy.ClientPings > Http2PingStrikes.MaxStrikes, $"GOAWAY after only {proxy.ClientPings} pings");
            Assert.Equal("again", (await client.PingAsync(new PingRequest { Payload = "again" }, deadline: DateTime.UtcNow + Generous)).Payload);
            Assert.Equal(2, proxy.ConnectionsAccepted);
        }
    }

    public sealed class DuringASilentCall
    {
        [Fact]
        public async Task A_client_pinging_every_second_during_a_silent_call_is_cut_off_and_the_call_fails_RESOURCE_EXHAUSTED()
        {
            await using var tablet = await LoopbackTabletManager.StartAsync();
            await using var proxy = new Http2FrameCountingProxy(tablet.Server.Port, Http2PingEnforcementPolicy.VttabletDefaults);
            using var channel = PingingEverySecond(proxy.Port);
            var client = new TabletManagerClient(channel);

            // WaitForPosition answers only when cancelled: the stream is open and the server writes nothing on it.
            using var call = client.WaitForPositionAsync(new WaitForPositionRequest { Position = "MariaDB/0-1-5" },
                deadline: DateTime.UtcNow + TimeSpan.FromSeconds(120));

            var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            // gRPC maps the HTTP/2 error ENHANCE_YOUR_CALM to RESOURCE_EXHAUSTED (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md, "Errors").
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Equal(1, proxy.TooManyPingsGoAways);
            Assert.Equal(1, proxy.ConnectionsAccepted);
        }
    }

    public sealed class WithoutEnforcement
    {
        [Fact]
        public async Task Without_enforcement_the_same_pinging_client_is_counted_and_never_cut_off()
        {
            await using var tablet = await LoopbackTabletManager.StartAsync();
            await using var proxy = new Http2FrameCountingProxy(tablet.Server.Port);
            using var channel = PingingEverySecond(proxy.Port);
            var client = new TabletManagerClient(channel);

            await client.PingAsync(new PingRequest { Payload = "warm" }, deadline: DateTime.UtcNow + Generous);
            await Poll.UntilAsync(() => Task.FromResult(proxy.ClientPings > 2 * Http2PingStrikes.MaxStrikes), Generous,
                "the client pinged more often than a vttablet tolerates");

            Assert.Equal("after", (await client.PingAsync(new PingRequest { Payload = "after" }, deadline: DateTime.UtcNow + Generous)).Payload);
            Assert.Equal(0, proxy.TooManyPingsGoAways);
            Assert.Equal(1, proxy.ConnectionsAccepted);
        }
    }

    /// <summary>What our channels must never be (docs/wire-format.md, "Reaching a tablet"): keepalive PINGs every second, even when idle.</summary>
    private static GrpcChannel PingingEverySecond(int port) => GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        },
        DisposeHttpClient = true,
    });
}
