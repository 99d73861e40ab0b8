namespace Vtorc.Protocol.Etcd;

/// <summary>
/// The endpoints of one etcd cluster, one lazily created channel (with its generated clients) each, and which one is current.
/// Calls start at the current endpoint; a failure moves "current" on, a success pins it.
/// </summary>
internal sealed class EtcdEndpointPool : IAsyncDisposable
{
    private readonly EtcdEndpoint[] _endpoints;
    private readonly EtcdStubs?[] _stubs;
    private readonly Func<EtcdEndpoint, EtcdStubs> _createStubs;
    private readonly object _gate = new();
    private int _current;
    private bool _disposed;

    public EtcdEndpointPool(IReadOnlyList<EtcdEndpoint> endpoints, Func<EtcdEndpoint, EtcdStubs> createStubs)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is required", nameof(endpoints));
        }
        _endpoints = [.. endpoints];
        _stubs = new EtcdStubs?[_endpoints.Length];
        _createStubs = createStubs;
    }

    public int Count => _endpoints.Length;

    public int Current => Volatile.Read(ref _current);

    public EtcdEndpoint Endpoint(int index) => _endpoints[index];

    public EtcdStubs Stubs(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _stubs[index] ??= _createStubs(_endpoints[index]);
        }
    }

    public void MarkWorking(int index) => Volatile.Write(ref _current, index);

    /// <summary>Moves "current" past a failed endpoint unless another caller already moved it.</summary>
    public void MarkFailed(int index) => Interlocked.CompareExchange(ref _current, (index + 1) % _endpoints.Length, index);

    public ValueTask DisposeAsync()
    {
        EtcdStubs?[] stubs;
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }
            _disposed = true;
            stubs = [.. _stubs];
        }
        foreach (var endpointStubs in stubs)
        {
            endpointStubs?.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
