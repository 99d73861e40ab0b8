using Google.Protobuf;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcNoPingTests
{
    [Fact]
    public async Task Client_sends_no_PING_frames_during_unary_and_streaming_traffic()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        await using var proxy = new Http2FrameCountingProxy(server.Server.Port);
        using var channel = GrpcChannel.Create("127.0.0.1:" + proxy.Port);
        var options = new CallOptions(TimeSpan.FromSeconds(30));
        var payload = ByteString.CopyFrom(new byte[200_000]);

        // Large responses are what makes SocketsHttpHandler's window-sizing RTT pings fire when they are enabled.
        for (var i = 0; i < 30; i++)
        {
            await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Payload = payload }, options);
        }
        await foreach (var _ in channel.ServerStreamingAsync<CountRequest, CountReply>(TestMethods.Count, new CountRequest { Count = 1000 }, options))
        {
        }

        Assert.True(proxy.ClientFrames > 60, $"the proxy saw only {proxy.ClientFrames} client frames");
        Assert.Equal(0, proxy.ClientPings);
    }
}
