using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class ServiceBindingTests
{
    private sealed class WrongUnarySignature
    {
        public Task<EchoReply> Echo(EchoRequest request) => Task.FromResult(new EchoReply());
    }

    private sealed class WrongStreamingSignature
    {
        public Task<CountReply> Count(CountRequest request, ServerCallContext context) => Task.FromResult(new CountReply());
    }

    private sealed class Overloaded
    {
        public Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply());

        public Task<EchoReply> Echo(EchoRequest request) => Task.FromResult(new EchoReply());
    }

    private sealed class ImplementsNothing
    {
    }

    [Fact]
    public async Task Wrong_unary_signature_fails_at_AddService_naming_the_method_and_the_expected_shape()
    {
        await using var server = new GrpcServer(new GrpcServerOptions());

        var e = Assert.Throws<ArgumentException>(() => server.AddService(TestMethods.Service, new WrongUnarySignature()));

        Assert.Contains("/grpctest.TestService/Echo", e.Message);
        Assert.Contains("Task<EchoReply> Echo(EchoRequest, ServerCallContext)", e.Message);
    }

    [Fact]
    public async Task Unary_shape_for_a_server_streaming_RPC_fails_at_AddService()
    {
        await using var server = new GrpcServer(new GrpcServerOptions());

        var e = Assert.Throws<ArgumentException>(() => server.AddService(TestMethods.Service, new WrongStreamingSignature()));

        Assert.Contains("/grpctest.TestService/Count", e.Message);
        Assert.Contains("IServerStreamWriter<CountReply>", e.Message);
    }

    [Fact]
    public async Task Overloaded_method_fails_at_AddService()
    {
        await using var server = new GrpcServer(new GrpcServerOptions());

        var e = Assert.Throws<ArgumentException>(() => server.AddService(TestMethods.Service, new Overloaded()));

        Assert.Contains("Echo", e.Message);
    }

    [Fact]
    public async Task Same_service_twice_fails_at_AddService()
    {
        await using var server = new GrpcServer(new GrpcServerOptions());
        server.AddService(TestMethods.Service, new TestServiceImplementation());

        var e = Assert.Throws<ArgumentException>(() => server.AddService(TestMethods.Service, new TestServiceImplementation()));

        Assert.Contains("grpctest.TestService", e.Message);
    }

    [Fact]
    public async Task Implementation_without_methods_serves_UNIMPLEMENTED_for_every_RPC()
    {
        await using var server = new GrpcServer(new GrpcServerOptions());
        server.AddService(TestMethods.Service, new ImplementsNothing());
        await server.StartAsync(CancellationToken.None);
        using var channel = GrpcChannel.Create("127.0.0.1:" + server.Port);

        var e = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest(), new CallOptions(TimeSpan.FromSeconds(30))));

        Assert.Equal(StatusCode.Unimplemented, e.Status);
    }
}
