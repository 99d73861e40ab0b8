namespace Vtorc.Topo;

/// <summary>
/// <see cref="ITopoDirectoryWatch"/> on an <see cref="InMemoryTopoStore"/>. The stream never fails or goes silent on
/// its own; it ends (null) once disposed. Silence is measured on the factory's clock.
/// </summary>
internal sealed class InMemoryDirectoryWatch : ITopoDirectoryWatch
{
    private readonly InMemoryWatcher _watcher;
    private readonly TimeProvider _time;
    private long _lastResponse;

    public InMemoryDirectoryWatch(InMemoryWatcher watcher, string prefix, string endpoint, TimeProvider time)
    {
        _watcher = watcher;
        _time = time;
        _lastResponse = time.GetTimestamp();
        Prefix = prefix;
        Endpoint = endpoint;
    }

    public string Prefix { get; }

    public string Endpoint { get; }

    public TimeSpan SinceLastResponse => _time.GetElapsedTime(Interlocked.Read(ref _lastResponse));

    public async Task<IReadOnlyList<TopoChange>?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var batch = await _watcher.ReadAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastResponse, _time.GetTimestamp());
            return batch;
        }
        catch (OperationCanceledException e)
        {
            throw TopoErrors.Cancelled("Watch", Prefix, e);
        }
    }

    public Task RequestProgressAsync(CancellationToken cancellationToken)
    {
        InMemoryTopoConnection.ThrowIfCancelled("WatchProgress", Prefix, cancellationToken);
        Interlocked.Exchange(ref _lastResponse, _time.GetTimestamp());
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _watcher.Dispose();
        return ValueTask.CompletedTask;
    }
}
