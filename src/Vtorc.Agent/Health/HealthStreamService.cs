using Grpc.Core;
using Query;

namespace Vtorc.Agent.Health;

/// <summary>
/// The agent's <c>queryservice.Query</c>: only StreamHealth (docs/wire-format.md, "The health stream"); every other Query
/// method answers UNIMPLEMENTED. Served on the TabletManager's port, as vttablet serves both on its gRPC port.
/// </summary>
internal sealed class HealthStreamService(TabletHealthBroadcaster broadcaster) : Queryservice.Query.QueryBase
{
    public override async Task StreamHealth(StreamHealthRequest request, IServerStreamWriter<StreamHealthResponse> responseStream,
        ServerCallContext context)
    {
        using var subscription = broadcaster.Subscribe();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, subscription.Dropped);
        try
        {
            await foreach (var snapshot in subscription.Reader.ReadAllAsync(ended.Token).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(snapshot, ended.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away: nothing to report to it.
        }
        catch (OperationCanceledException) when (subscription.Dropped.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "stream health buffer overflowed, client should reconnect"));
        }
    }
}
