using System.Net;
using System.Net.Sockets;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcConnectionTests
{
    [Fact]
    public async Task Thousand_concurrent_unary_calls_all_succeed_over_one_connection()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        var options = new CallOptions(TimeSpan.FromSeconds(60));

        var replies = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i =>
            channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "m" + i }, options)));

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => "m" + i), replies.Select(r => r.Text));
        Assert.Equal(1, server.Server.AcceptedConnectionCount);
    }

    [Fact]
    public async Task Server_that_is_not_listening_fails_UNAVAILABLE_not_DEADLINE_EXCEEDED()
    {
        var port = FreePortWithNothingListening();
        using var channel = GrpcChannel.Create("127.0.0.1:" + port);

        var e = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest(), new CallOptions(TimeSpan.FromSeconds(20))));

        Assert.Equal(StatusCode.Unavailable, e.Status);
        Assert.Contains("127.0.0.1:" + port, e.Detail);
    }

    [Fact]
    public async Task Server_stopping_during_a_call_ends_it_with_an_error_status()
    {
        var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        var call = channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Wait, new EchoRequest(), new CallOptions(TimeSpan.FromSeconds(60)));
        await server.Service.WaitStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await server.DisposeAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Unavailable, e.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("ftp://localhost:1")]
    [InlineData("http://localhost:1/path")]
    [InlineData("http://localhost")]
    public void Malformed_target_is_rejected_quoting_it(string target)
    {
        var e = Assert.Throws<ArgumentException>(() => GrpcChannel.Create(target));

        Assert.Contains("\"" + target + "\"", e.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:2379")]
    [InlineData("[::1]:2379")]
    [InlineData("http://localhost:15999")]
    [InlineData("https://tablet-1.example:15999/")]
    public void Well_formed_targets_are_accepted(string target)
    {
        using var channel = GrpcChannel.Create(target);

        Assert.Equal(target, channel.Target);
    }

    [Theory]
    [InlineData("Echo")]
    [InlineData("/Echo")]
    [InlineData("/grpctest.TestService/")]
    [InlineData("/a/b/c")]
    public async Task Malformed_method_is_rejected_quoting_it(string method)
    {
        using var channel = GrpcChannel.Create("127.0.0.1:1");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(method, new EchoRequest(), default));

        Assert.Contains("\"" + method + "\"", e.Message);
    }

    private static int FreePortWithNothingListening()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
