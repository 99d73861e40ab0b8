using Google.Protobuf;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcMessageSizeTests
{
    private const int MiB = 1024 * 1024;
    private static CallOptions Deadline => new(TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Eight_MiB_message_round_trips()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        var payload = new byte[8 * MiB];
        new Random(7).NextBytes(payload);

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(payload) }, Deadline);

        Assert.True(reply.Payload.Span.SequenceEqual(payload));
    }

    [Fact]
    public async Task Seventeen_MiB_request_is_rejected_by_the_server_with_RESOURCE_EXHAUSTED()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel(new GrpcChannelOptions { MaxSendMessageSize = 32 * MiB });

        var e = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[17 * MiB]) }, Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, e.Status);
    }

    [Fact]
    public async Task Seventeen_MiB_request_is_refused_locally_by_the_default_send_limit()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[17 * MiB]) }, Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, e.Status);
        Assert.Equal(TestMethods.Echo, e.Method);
        Assert.Equal(0, server.Server.AcceptedConnectionCount);
    }

    [Fact]
    public async Task Seventeen_MiB_response_is_rejected_by_the_client_with_RESOURCE_EXHAUSTED()
    {
        await using var server = await LoopbackGrpcServer.StartAsync(new GrpcServerOptions { MaxSendMessageSize = 32 * MiB });
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest { ReplySize = 17 * MiB }, Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, e.Status);
        Assert.Contains("larger than the limit", e.Detail);
    }

    [Fact]
    public async Task Response_above_the_servers_send_limit_fails_RESOURCE_EXHAUSTED()
    {
        await using var server = await LoopbackGrpcServer.StartAsync(new GrpcServerOptions { MaxSendMessageSize = MiB });
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest { ReplySize = 2 * MiB }, Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, e.Status);
    }
}
