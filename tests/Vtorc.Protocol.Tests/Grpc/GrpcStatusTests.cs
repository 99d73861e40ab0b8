using System.Net;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcStatusTests
{
    private static CallOptions Deadline => new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Method_the_implementation_lacks_answers_UNIMPLEMENTED()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.NotImplementedHere, new EchoRequest(), Deadline));

        Assert.Equal(StatusCode.Unimplemented, e.Status);
        Assert.Contains("NotImplementedHere", e.Detail);
    }

    [Fact]
    public async Task Unknown_method_of_a_known_service_answers_UNIMPLEMENTED()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>("/grpctest.TestService/NoSuchMethod", new EchoRequest(), Deadline));

        Assert.Equal(StatusCode.Unimplemented, e.Status);
    }

    [Fact]
    public async Task Unknown_service_answers_UNIMPLEMENTED_naming_the_service()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>("/grpctest.NoSuchService/Echo", new EchoRequest(), Deadline));

        Assert.Equal(StatusCode.Unimplemented, e.Status);
        Assert.Contains("grpctest.NoSuchService", e.Detail);
    }

    [Fact]
    public async Task RpcException_from_a_handler_reaches_the_client_with_exact_code_and_message()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Fail, new EchoRequest { Text = "rpc" }, Deadline));

        Assert.Equal(StatusCode.NotFound, e.Status);
        Assert.Equal("x y%", e.Detail);
        Assert.Equal(TestMethods.Fail, e.Method);
        Assert.Equal("RPC /grpctest.TestService/Fail failed: NOT_FOUND: x y%", e.Message);
    }

    [Fact]
    public async Task Other_exception_from_a_handler_becomes_UNKNOWN_with_its_message()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Fail, new EchoRequest { Text = "boom – ünïcode" }, Deadline));

        Assert.Equal(StatusCode.Unknown, e.Status);
        Assert.Equal("boom – ünïcode", e.Detail);
    }

    [Fact]
    public async Task Non_grpc_content_type_is_answered_with_HTTP_415()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var handler = new SocketsHttpHandler();
        using var client = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.PostAsync(server.Address + TestMethods.Echo, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
