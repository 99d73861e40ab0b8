using Vtorc.Protocol.Grpc;

namespace Vtorc.Protocol.Etcd;

/// <summary>
/// The endpoints of one etcd cluster, one lazily created channel each, and which one is current.
/// Calls start at the current endpoint; a failure moves "current" on, a success pins it.
/// </summary>
internal sealed class EtcdEndpointPool : IAsyncDisposable
{
    private readonly EtcdEndpoint[] _endpoints;
    private readonly GrpcChannel?[] _channels;
    private readonly Func<EtcdEndpoint, GrpcChannel> _createChannel;
    private readonly object _gate = new();
    private int _current;
    private bool _disposed;

    public EtcdEndpointPool(IReadOnlyList<EtcdEndpoint> endpoints, Func<EtcdEndpoint, GrpcChannel> createChannel)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is required", nameof(endpoints));
        }
        _endpoints = [.. endpoints];
        _channels = new GrpcChannel?[_endpoints.Length];
        _createChannel = createChannel;
    }

    public int Count => _endpoints.Length;

    public int Current => Volatile.Read(ref _current);

    public EtcdEndpoint Endpoint(int index) => _endpoints[index];

    public GrpcChannel Channel(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _channels[index] ??= _createChannel(_endpoints[index]);
        }
    }

    public void MarkWorking(int index) => Volatile.Write(ref _current, index);

    /// <summary>Moves "current" past a failed endpoint unless another caller already moved it.</summary>
    public void MarkFailed(int index) => Interlocked.CompareExchange(ref _current, (index + 1) % _endpoints.Length, index);

    public async ValueTask DisposeAsync()
    {
        GrpcChannel?[] channels;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            channels = [.. _channels];
        }
        foreach (var channel in channels)
        {
            if (channel is not null)
            {
                await DisposeChannelAsync(channel).ConfigureAwait(false);
            }
        }
    }

    private static ValueTask DisposeChannelAsync(GrpcChannel channel)
    {
        channel.Dispose();
        return ValueTask.CompletedTask;
    }
}
