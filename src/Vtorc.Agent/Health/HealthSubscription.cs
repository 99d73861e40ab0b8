using System.Threading.Channels;
using Grpc.Core;
using Query;

namespace Vtorc.Agent.Health;

/// <summary>
/// One StreamHealth client's bounded queue of snapshots. A client that lets it overflow is dropped: the queue ends with
/// RESOURCE_EXHAUSTED and <see cref="Dropped"/> fires, which also ends a write stuck on the client (as vttablet does,
/// go/vt/vttablet/tabletserver/health_streamer.go).
/// </summary>
public sealed class HealthSubscription : IDisposable
{
    private readonly Channel<StreamHealthResponse> _queue;
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<HealthSubscription> _remove;

    internal HealthSubscription(int capacity, Action<HealthSubscription> remove)
    {
        _queue = Channel.CreateBounded<StreamHealthResponse>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _remove = remove;
    }

    public ChannelReader<StreamHealthResponse> Reader => _queue.Reader;

    /// <summary>Cancelled when the client was dropped for overflowing its queue.</summary>
    public CancellationToken Dropped => _dropped.Token;

    /// <summary>Queues a snapshot; false (and the client dropped) when the queue is full.</summary>
    internal bool Offer(StreamHealthResponse snapshot)
    {
        if (_queue.Writer.TryWrite(snapshot))
        {
            return true;
        }
        if (_queue.Writer.TryComplete(new RpcException(new Status(StatusCode.ResourceExhausted,
                $"stream health buffer overflowed ({_queue.Reader.Count} messages queued), client should reconnect"))))
        {
            try
            {
                _dropped.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended meanwhile.
            }
        }
        return false;
    }

    /// <summary>Ends the stream normally (agent shutdown).</summary>
    internal void End() => _queue.Writer.TryComplete();

    public void Dispose()
    {
        _remove(this);
        _queue.Writer.TryComplete();
        _dropped.Dispose();
    }
}
