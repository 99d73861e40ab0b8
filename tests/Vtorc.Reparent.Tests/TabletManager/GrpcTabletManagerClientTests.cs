using System.Net;
using System.Net.Sockets;
using Topodata;
using Grpc.Core;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Reparent.Tests.TabletManager;

public class GrpcTabletManagerClientTests
{
    private static Tablet Tablet(int port) => new()
    {
        Alias = TabletAliases.Create("zone1", 101),
        Hostname = "127.0.0.1",
        PortMap = { ["grpc"] = port },
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task A_shut_down_tablet_is_refused_without_dialling()
    {
        using var client = new GrpcTabletManagerClient();
        var tablet = Tablet(15999);
        tablet.TabletShutdownTime = new Vttime.Time { Seconds = 5 };

        var e = await Assert.ThrowsAsync<RpcException>(() => client.FullStatusAsync(tablet, CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.StartsWith("RPC /tabletmanagerservice.TabletManager/FullStatus failed", e.Message);
        Assert.Empty(client.CachedAddresses);
    }

    [Fact]
    public async Task A_refused_connection_names_the_tablet_and_rpc_and_drops_the_channel()
    {
        using var client = new GrpcTabletManagerClient(new TabletManagerClientOptions { DefaultTimeout = TimeSpan.FromSeconds(10) });
        int port = ClosedPort();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.StopReplicationAndGetStatusAsync(Tablet(port),
            Replicationdata.StopReplicationMode.Iothreadonly, CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("zone1-0000000101", e.Message);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.StartsWith("RPC /tabletmanagerservice.TabletManager/StopReplicationAndGetStatus failed", e.Message);
        Assert.Contains($"tablet zone1-0000000101 (127.0.0.1:{port}): StopReplicationAndGetStatus: ", e.Status.Detail);
        Assert.Empty(client.CachedAddresses);
    }

    [Fact]
    public void A_non_positive_default_timeout_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new GrpcTabletManagerClient(new TabletManagerClientOptions { DefaultTimeout = TimeSpan.Zero }));
        Assert.Contains("timeout must be positive", e.Message);
    }
}
