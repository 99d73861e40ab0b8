using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// One Kestrel HTTP/2 listener serving TabletManager for every simulated tablet. It binds 0.0.0.0 on one port because
/// a socket bound to 127.0.0.1 accepts only 127.0.0.1, while the tablets' addresses are spread over 127.20.0.0/16
/// (Linux delivers all of 127.0.0.0/8 to the loopback interface). So that nothing but loopback traffic is ever served,
/// a connection whose local or remote address is not a loopback one is closed as soon as it is accepted, as is one
/// to a tablet that is dead (a dead host: the client sees its connection closed and the call fails UNAVAILABLE).
/// The tablet of a call is the connection's local address (<see cref="FleetLayout.TabletOf"/>).
/// </summary>
internal sealed class FleetRpcListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _refused;

    private FleetRpcListener(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Connections closed at accept (not loopback, no tablet at that address, or a dead tablet).</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    public static async Task<FleetRpcListener> StartAsync(SimulatedFleet fleet, bool healthStream, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = nameof(FleetRpcListener) });
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new SimulatedTabletManager(fleet));
        builder.Services.AddSingleton(new SimulatedHealthStream(fleet, healthStream));
        builder.Services.AddGrpc();
        FleetRpcListener? listener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
            kestrel.Listen(IPAddress.Any, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => async connection =>
                {
                    var local = (connection.LocalEndPoint as IPEndPoint)?.Address;
                    var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
                    int tablet = FleetLayout.TabletOf(local);
                    if (local is null || remote is null || !IPAddress.IsLoopback(local) || !IPAddress.IsLoopback(remote)
                        || tablet < 0 || tablet >= fleet.Tablets.Length || fleet.Tablets[tablet].Dead)
                    {
                        Interlocked.Increment(ref listener!._refused);
                        connection.Abort();
                        return;
                    }
                    fleet.Track(tablet, connection);
                    try
                    {
                        await next(connection);
                    }
                    finally
                    {
                        fleet.Untrack(tablet, connection);
                    }
                });
            });
        });
        var app = builder.Build();
        app.MapGrpcService<SimulatedTabletManager>();
        app.MapGrpcService<SimulatedHealthStream>();
        listener = new FleetRpcListener(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.Port = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token);
        }
        await _app.DisposeAsync();
    }
}
