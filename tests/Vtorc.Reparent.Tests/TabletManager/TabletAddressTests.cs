using Topodata;
using Grpc.Core;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Reparent.Tests.TabletManager;

public class TabletAddressTests
{
    private static Tablet Tablet(string hostname, int? grpcPort = 15999)
    {
        var tablet = new Tablet { Alias = TabletAliases.Create("zone1", 101), Hostname = hostname };
        tablet.PortMap["vt"] = 15000;
        if (grpcPort is { } port)
        {
            tablet.PortMap["grpc"] = port;
        }
        return tablet;
    }

    [Theory]
    [InlineData("host-101", "host-101:15999")]
    [InlineData("10.0.0.7", "10.0.0.7:15999")]
    [InlineData("::1", "[::1]:15999")]
    [InlineData("fd00::7", "[fd00::7]:15999")]
    [InlineData("[fd00::7]", "[fd00::7]:15999")]
    public void Joins_hostname_and_grpc_port_bracketing_ipv6(string hostname, string expected)
    {
        Assert.Equal(expected, TabletAddress.Of(Tablet(hostname)));
    }

    [Fact]
    public void A_shut_down_tablet_is_unavailable()
    {
        var tablet = Tablet("host-101");
        tablet.TabletShutdownTime = new Vttime.Time { Seconds = 1 };

        var e = Assert.Throws<RpcException>(() => TabletAddress.Of(tablet, "/tabletmanagerservice.TabletManager/FullStatus"));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("tablet is shutdown", e.Message);
        Assert.Contains("zone1-0000000101", e.Message);
        Assert.Contains("FullStatus", e.Message);
    }

    [Fact]
    public void An_empty_hostname_is_a_failed_precondition()
    {
        var e = Assert.Throws<RpcException>(() => TabletAddress.Of(Tablet("")));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("empty tablet hostname", e.Message);
    }

    [Fact]
    public void A_missing_grpc_port_names_the_ports_there_are()
    {
        var e = Assert.Throws<RpcException>(() => TabletAddress.Of(Tablet("host-101", grpcPort: null)));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("no \"grpc\" port", e.Message);
        Assert.Contains("vt=15000", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_grpc_port_that_is_not_positive_is_refused(int port)
    {
        var e = Assert.Throws<RpcException>(() => TabletAddress.Of(Tablet("host-101", port)));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains($"invalid grpc port {port}", e.Message);
    }
}
