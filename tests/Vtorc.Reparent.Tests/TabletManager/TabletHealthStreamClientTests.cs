using Grpc.Core;
using Query;
using Topodata;
using Vtorc.Protocol.Rpc;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>
/// <see cref="GrpcTabletManagerClient.StreamHealthAsync"/> against a real gRPC server (<see cref="RpcServer"/>) serving a
/// scripted health stream next to the scripted TabletManager, as a tablet serves both on one port.
/// </summary>
public sealed class TabletHealthStreamClientTests
{
    [Fact]
    public async Task StreamHealth_yields_the_tablets_snapshots_on_the_TabletManager_channel_until_the_tablet_ends_the_stream()
    {
        var health = new ScriptedHealthService(count: 3);
        await using var server = await RpcServer.StartAsync(new LoopbackTabletManager(), health, new RpcServerOptions(),
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        using var client = new GrpcTabletManagerClient();
        var tablet = new Tablet { Alias = TabletAliases.Create("zone1", 101), Hostname = "127.0.0.1", PortMap = { ["grpc"] = server.Port } };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await client.PingAsync(tablet, "p", timeout.Token);
        var received = new List<StreamHealthResponse>();
        await foreach (var snapshot in client.StreamHealthAsync(tablet, timeout.Token))
        {
            received.Add(snapshot);
        }

        Assert.Equal([0L, 1L, 2L], received.Select(r => r.PrimaryTermStartTimestamp));
        Assert.All(received, r => Assert.Equal(TabletType.Primary, r.Target.TabletType));
        // One channel per tablet address: the stream used the one Ping opened.
        Assert.Single(client.CachedAddresses);
        Assert.Equal(1, server.AcceptedConnectionCount);
    }

    [Fact]
    public async Task StreamHealth_cancelled_by_the_caller_ends_with_OperationCanceledException()
    {
        var health = new ScriptedHealthService(count: 1, thenWait: true);
        await using var server = await RpcServer.StartAsync(new LoopbackTabletManager(), health, new RpcServerOptions(),
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        using var client = new GrpcTabletManagerClient();
        var tablet = new Tablet { Alias = TabletAliases.Create("zone1", 101), Hostname = "127.0.0.1", PortMap = { ["grpc"] = server.Port } };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var count = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.StreamHealthAsync(tablet, cancel.Token))
            {
                count++;
                await cancel.CancelAsync();
            }
        });
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task StreamHealth_on_a_connection_the_client_replaced_on_purpose_ends_as_replaced_and_opens_again_on_a_new_one()
    {
        var health = new ScriptedHealthService(count: 1, thenWait: true);
        await using var server = await RpcServer.StartAsync(new LoopbackTabletManager(), health, new RpcServerOptions(),
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        using var client = new GrpcTabletManagerClient();
        var tablet = new Tablet { Alias = TabletAliases.Create("zone1", 101), Hostname = "127.0.0.1", PortMap = { ["grpc"] = server.Port } };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var replaced = await Assert.ThrowsAsync<HealthStreamConnectionReplacedException>(async () =>
        {
            await foreach (var _ in client.StreamHealthAsync(tablet, timeout.Token))
            {
                client.ResetConnection(tablet);
            }
        });
        Assert.Contains("zone1-0000000101", replaced.Message, StringComparison.Ordinal);

        await using var again = client.StreamHealthAsync(tablet, timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await again.MoveNextAsync());
        Assert.Equal(2, server.AcceptedConnectionCount);
    }

    [Fact]
    public async Task StreamHealth_on_a_connection_that_failed_is_still_an_RpcException()
    {
        var health = new ScriptedHealthService(count: 1, thenWait: true);
        var server = await RpcServer.StartAsync(new LoopbackTabletManager(), health, new RpcServerOptions(),
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        using var client = new GrpcTabletManagerClient();
        var tablet = new Tablet { Alias = TabletAliases.Create("zone1", 101), Hostname = "127.0.0.1", PortMap = { ["grpc"] = server.Port } };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in client.StreamHealthAsync(tablet, timeout.Token))
            {
                await server.DisposeAsync();
            }
        });
    }

    /// <summary>A fake health stream: <c>count</c> PRIMARY snapshots (term 0, 1, …), then the end, or a wait for cancellation.</summary>
    private sealed class ScriptedHealthService(int count, bool thenWait = false) : Queryservice.Query.QueryBase
    {
        public override async Task StreamHealth(StreamHealthRequest request, IServerStreamWriter<StreamHealthResponse> responseStream,
            ServerCallContext context)
        {
            for (var i = 0; i < count; i++)
            {
                await responseStream.WriteAsync(new StreamHealthResponse
                {
                    Target = new Target { Keyspace = "ks", Shard = "0", TabletType = TabletType.Primary, Cell = "zone1" },
                    Serving = true,
                    PrimaryTermStartTimestamp = i,
                    RealtimeStats = new RealtimeStats(),
                    TabletAlias = TabletAliases.Create("zone1", 101),
                });
            }
            if (thenWait)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
        }
    }
}
