using Grpc.Core;
using Query;
using Topodata;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// <c>queryservice.Query/StreamHealth</c> for every <see cref="SimulatedTablet"/> (a LOAD GENERATOR), sending what our
/// agent sends (src/Vtorc.Agent/Health/TabletHealthBroadcaster.cs): a snapshot on subscribe and one every second, the
/// heartbeat the daemon times the stream out by (field 10001). So the fleet figures include the cost of one stream per
/// tablet, as the daemon watching our agents pays it. A dead tablet's connections are cut (<see cref="SimulatedFleet.Kill"/>),
/// which ends its stream as a lost host would; a hung tablet keeps streaming, as a vttablet whose reparent RPCs hang does.
/// Off with <c>--health-stream off</c>: every call answers UNIMPLEMENTED, as a tablet without the stream.
/// </summary>
internal sealed class SimulatedHealthStream(SimulatedFleet fleet, bool enabled) : Queryservice.Query.QueryBase
{
    /// <summary>Our agent's default <c>--health-check-interval</c>.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public override async Task StreamHealth(StreamHealthRequest request, IServerStreamWriter<StreamHealthResponse> responseStream,
        ServerCallContext context)
    {
        if (!enabled)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "StreamHealth is off in this simulated fleet (--health-stream off)"));
        }
        int index = FleetLayout.TabletOf(context.GetHttpContext().Connection.LocalIpAddress);
        if (index < 0 || index >= fleet.Tablets.Length)
        {
            throw new RpcException(new Status(StatusCode.NotFound, "StreamHealth: no simulated tablet at this address"));
        }
        var tablet = fleet.Tablets[index];
        fleet.Calls.AddOrUpdate(nameof(StreamHealth), 1, (_, n) => n + 1);
        using var timer = new PeriodicTimer(Interval);
        // Why each stream ended, counted with the RPCs answered: tells a stream the daemon dropped from one this side ended.
        string ended = "the tablet died";
        try
        {
            do
            {
                if (tablet.Dead)
                {
                    return;
                }
                await responseStream.WriteAsync(Snapshot(tablet), context.CancellationToken);
            }
            while (await timer.WaitForNextTickAsync(context.CancellationToken));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The daemon went away or the connection was cut.
            ended = "the daemon or the connection ended it";
        }
        catch (Exception e)
        {
            ended = $"writing failed ({e.GetType().Name})";
            throw;
        }
        finally
        {
            fleet.Calls.AddOrUpdate($"{nameof(StreamHealth)} ended: {ended}", 1, (_, n) => n + 1);
        }
    }

    private StreamHealthResponse Snapshot(SimulatedTablet tablet)
    {
        var type = tablet.Type;
        bool replicating = type == TabletType.Primary || tablet.ReplicationRunning;
        return new StreamHealthResponse
        {
            Target = new Target { Keyspace = tablet.Shard.Keyspace, Shard = tablet.Shard.Name, TabletType = type, Cell = tablet.Alias.Cell },
            Serving = replicating,
            RealtimeStats = new RealtimeStats { HealthError = replicating ? "" : "replication is not running" },
            TabletAlias = tablet.Alias,
            HeartbeatIntervalMs = (uint)Interval.TotalMilliseconds,
        };
    }
}
