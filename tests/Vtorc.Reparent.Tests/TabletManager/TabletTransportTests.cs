using Grpc.Core;
using Vtorc.Protocol.Rpc;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>
/// What operators rely on when VTOrc reaches a tablet (docs/wire-format.md, "Reaching a tablet"), through
/// <see cref="GrpcTabletManagerClient"/> against a real grpc-dotnet server: one connection per tablet, no PINGs,
/// deadlines and cancellation, status codes and texts naming the tablet, static-auth metadata.
/// </summary>
public sealed class TabletTransportTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    // A call whose deadline passes before its request is sent never reaches the tablet, and then there is no handler
    // to cancel: with 300 ms (and the connection opened by that same call) a loaded CI machine once got there. The
    // connection is opened beforehand, and the deadline leaves the request ample time to arrive.
    private static readonly TimeSpan DeadlineLongEnoughToArrive = TimeSpan.FromSeconds(2);

    private static async Task WarmUpAsync(GrpcTabletManagerClient client, LoopbackTabletManager tablet) =>
        Assert.Equal("warm", await client.PingAsync(tablet.Tablet(), "warm", CancellationToken.None, Generous));

    [Fact]
    public async Task Hundreds_of_concurrent_calls_to_one_tablet_share_one_connection()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient();

        var replies = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => client.PingAsync(tablet.Tablet(), "m" + i, CancellationToken.None, Generous)));

        Assert.Equal(Enumerable.Range(0, 500).Select(i => "m" + i), replies);
        Assert.Equal(1, tablet.Server.AcceptedConnectionCount);
        Assert.Single(client.CachedAddresses);
    }

    [Fact]
    public async Task The_client_sends_no_PING_frames_to_a_tablet()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        await using var proxy = new Http2FrameCountingProxy(tablet.Server.Port);
        using var client = new GrpcTabletManagerClient();

        // Large responses are what makes SocketsHttpHandler's window-sizing RTT pings fire when they are enabled.
        for (var i = 0; i < 30; i++)
        {
            await client.PingAsync(tablet.Tablet(proxy.Port), "reply:200000", CancellationToken.None, Generous);
        }
        for (var i = 0; i < 30; i++)
        {
            await client.FullStatusAsync(tablet.Tablet(proxy.Port), CancellationToken.None, Generous);
        }

        Assert.True(proxy.ClientFrames > 60, $"the proxy saw only {proxy.ClientFrames} client frames");
        Assert.Equal(0, proxy.ClientPings);
    }

    [Fact]
    public void This_process_has_HTTP2_window_sizing_PINGs_turned_off_as_the_runtimeconfig_says()
    {
        Assert.True(Http2PingPolicy.WindowSizingPingsDisabled);
    }

    [Fact]
    public async Task A_deadline_fails_DEADLINE_EXCEEDED_naming_the_tablet_and_cancels_the_tablets_handler()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient();
        await WarmUpAsync(client, tablet);

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            client.WaitForPositionAsync(tablet.Tablet(), "MariaDB/0-1-5", CancellationToken.None, DeadlineLongEnoughToArrive));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.StartsWith($"tablet zone1-0000000101 (127.0.0.1:{tablet.Server.Port}): WaitForPosition: ", e.Status.Detail);
        Assert.StartsWith("RPC /tabletmanagerservice.TabletManager/WaitForPosition failed: DeadlineExceeded: tablet zone1-0000000101", e.Message);
        var context = await tablet.WaitCancelled.Task.WaitAsync(Generous);
        Assert.NotEqual(DateTime.MaxValue, context.Deadline);
    }

    [Fact]
    public async Task A_call_without_a_timeout_gets_the_clients_default_deadline()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient(new TabletManagerClientOptions { DefaultTimeout = DeadlineLongEnoughToArrive });
        await WarmUpAsync(client, tablet);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.WaitForPositionAsync(tablet.Tablet(), "MariaDB/0-1-5", CancellationToken.None));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        await tablet.WaitCancelled.Task.WaitAsync(Generous);
    }

    [Fact]
    public async Task Cancelling_fails_the_call_CANCELLED_and_reaches_the_tablet_and_the_connection_stays()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient();
        using var cancel = new CancellationTokenSource();

        var call = client.WaitForPositionAsync(tablet.Tablet(), "MariaDB/0-1-5", cancel.Token, Generous);
        await tablet.WaitStarted.Task.WaitAsync(Generous);
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        await tablet.WaitCancelled.Task.WaitAsync(Generous);
        Assert.Equal("after", await client.PingAsync(tablet.Tablet(), "after", CancellationToken.None, Generous));
        Assert.Equal(1, tablet.Server.AcceptedConnectionCount);
    }

    [Fact]
    public async Task A_tablets_status_keeps_its_code_and_text_behind_the_tablet_and_the_connection_stays()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient(new TabletManagerClientOptions { Headers = [new("fail", "no such row 100%")] });

        var e = await Assert.ThrowsAsync<RpcException>(() => client.FullStatusAsync(tablet.Tablet(), CancellationToken.None, Generous));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal($"tablet zone1-0000000101 (127.0.0.1:{tablet.Server.Port}): FullStatus: no such row 100%", e.Status.Detail);
        Assert.Single(client.CachedAddresses);
    }

    [Fact]
    public async Task Static_auth_metadata_reaches_the_tablet_on_every_call()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient(new TabletManagerClientOptions { Headers = [new("username", "vtorc"), new("password", "s3cret")] });

        await client.PingAsync(tablet.Tablet(), "a", CancellationToken.None, Generous);
        await client.PingAsync(tablet.Tablet(), "b", CancellationToken.None, Generous);

        Assert.Equal(2, tablet.RequestHeaders.Count);
        Assert.All(tablet.RequestHeaders, headers =>
        {
            Assert.Equal("vtorc", headers.GetValue("username"));
            Assert.Equal("s3cret", headers.GetValue("password"));
        });
    }

    [Fact]
    public void Metadata_with_a_reserved_or_upper_case_name_is_refused_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => new GrpcTabletManagerClient(new TabletManagerClientOptions { Headers = [new("User Name", "x")] }));

        Assert.Contains("\"User Name\"", e.Message);
    }

    [Fact]
    public async Task A_tablet_that_went_away_fails_UNAVAILABLE_and_the_next_call_dials_again()
    {
        var tablet = await LoopbackTabletManager.StartAsync();
        int port = tablet.Server.Port;
        using var client = new GrpcTabletManagerClient();
        Assert.Equal("up", await client.PingAsync(tablet.Tablet(), "up", CancellationToken.None, Generous));
        var record = tablet.Tablet();
        await tablet.DisposeAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync(record, "down", CancellationToken.None, Generous));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains($"127.0.0.1:{port}", e.Status.Detail);
        Assert.Empty(client.CachedAddresses);

        await using var again = await LoopbackTabletManager.StartAsync(new RpcServerOptions { Port = port });
        Assert.Equal("again", await client.PingAsync(record, "again", CancellationToken.None, Generous));
    }

    [Fact]
    public async Task A_tablet_stopping_during_a_call_ends_it_UNAVAILABLE()
    {
        var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient();
        var call = client.WaitForPositionAsync(tablet.Tablet(), "MariaDB/0-1-5", CancellationToken.None, TimeSpan.FromSeconds(120));
        await tablet.WaitStarted.Task.WaitAsync(Generous);

        await tablet.DisposeAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Empty(client.CachedAddresses);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("ftp://localhost:1")]
    [InlineData("http://localhost:1/path")]
    [InlineData("http://localhost")]
    public void A_malformed_address_is_refused_quoting_it(string address)
    {
        var e = Assert.Throws<ArgumentException>(() => RpcChannels.Create(address));

        Assert.Contains("\"" + address + "\"", e.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:2379", "http://127.0.0.1:2379/")]
    [InlineData("[::1]:2379", "http://[::1]:2379/")]
    [InlineData("http://localhost:15999", "http://localhost:15999/")]
    [InlineData("https://tablet-1.example:15999/", "https://tablet-1.example:15999/")]
    public void Well_formed_addresses_are_accepted(string address, string baseAddress)
    {
        using var channel = RpcChannels.Create(address);

        Assert.Equal(baseAddress, RpcChannels.ParseAddress(address).ToString());
    }
}
