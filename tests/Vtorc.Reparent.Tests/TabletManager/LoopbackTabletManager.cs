using System.Collections.Concurrent;
using Grpc.Core;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Protocol.Rpc;
using Vtorc.Topo;
using static Tabletmanagerservice.TabletManager;

namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>
/// A real gRPC server (<see cref="RpcServer"/>: Kestrel and grpc-dotnet, as the agent uses) serving a scripted
/// TabletManager on a free loopback port, for tests of the tablet client's transport. Ping echoes (or answers
/// "reply:N" with N bytes); WaitForPosition waits until the call is cancelled; FullStatus fails NOT_FOUND when the
/// request carries "fail" metadata.
/// </summary>
public sealed class LoopbackTabletManager : TabletManagerBase, IAsyncDisposable
{
    private RpcServer? _server;

    /// <summary>Set when a WaitForPosition call has started.</summary>
    public TaskCompletionSource WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set with the call's context when a WaitForPosition handler saw its cancellation.</summary>
    public TaskCompletionSource<ServerCallContext> WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The custom metadata of every call received, oldest first.</summary>
    public ConcurrentQueue<Metadata> RequestHeaders { get; } = new();

    public RpcServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>A tablet record pointing at this server (or at <paramref name="port"/>, e.g. a proxy in front of it).</summary>
    public Tablet Tablet(int? port = null) => new()
    {
        Alias = TabletAliases.Create("zone1", 101),
        Hostname = "127.0.0.1",
        PortMap = { ["grpc"] = port ?? Server.Port },
    };

    public static async Task<LoopbackTabletManager> StartAsync(RpcServerOptions? options = null)
    {
        var service = new LoopbackTabletManager();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        service._server = await RpcServer.StartAsync(service, options ?? new RpcServerOptions(), timeout.Token);
        return service;
    }

    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context)
    {
        RequestHeaders.Enqueue(context.RequestHeaders);
        return Task.FromResult(new PingResponse
        {
            Payload = request.Payload.StartsWith("reply:", StringComparison.Ordinal)
                ? new string('x', int.Parse(request.Payload["reply:".Length..], System.Globalization.CultureInfo.InvariantCulture))
                : request.Payload,
        });
    }

    public override Task<FullStatusResponse> FullStatus(FullStatusRequest request, ServerCallContext context) =>
        context.RequestHeaders.Get("fail") is { } fail
            ? throw new RpcException(new Status(StatusCode.NotFound, $"FullStatus: {fail.Value}"))
            : Task.FromResult(new FullStatusResponse { Status = new Replicationdata.FullStatus { ServerId = 7 } });

    public override async Task<WaitForPositionResponse> WaitForPosition(WaitForPositionRequest request, ServerCallContext context)
    {
        WaitStarted.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            WaitCancelled.TrySetResult(context);
            throw;
        }
        return new WaitForPositionResponse();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            await server.DisposeAsync();
        }
    }
}
