using Vtorc.Protocol.Grpc;

namespace Vtorc.Protocol.Tests.Grpc;

/// <summary>A real <see cref="GrpcServer"/> serving <see cref="TestServiceImplementation"/> on a free loopback port.</summary>
public sealed class LoopbackGrpcServer : IAsyncDisposable
{
    private LoopbackGrpcServer(GrpcServer server, TestServiceImplementation service)
    {
        Server = server;
        Service = service;
    }

    public GrpcServer Server { get; }

    public TestServiceImplementation Service { get; }

    public string Address => "http://127.0.0.1:" + Server.Port;

    public static async Task<LoopbackGrpcServer> StartAsync(GrpcServerOptions? options = null)
    {
        var service = new TestServiceImplementation();
        var server = new GrpcServer(options ?? new GrpcServerOptions());
        server.AddService(TestMethods.Service, service);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await server.StartAsync(timeout.Token);
        return new LoopbackGrpcServer(server, service);
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.Create(Address, options);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
