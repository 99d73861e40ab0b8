namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// The FIFO of tablet aliases waiting to be polled (go/vt/vtorc/logic/discovery_queue.go). An alias is held at most
/// once: pushing one that is queued or being polled is a no-op, so a slow tablet cannot pile up work. Thread-safe.
/// </summary>
public sealed class DiscoveryQueue
{
    public const int DefaultCapacity = 100_000;

    private readonly object _gate = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private readonly int _capacity;

    public DiscoveryQueue(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Aliases waiting (not counting those being polled).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <returns>True when the alias was added; false when it was already queued or in progress, or the queue is full.</returns>
    public bool Push(string alias)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        lock (_gate)
        {
            if (_queued.Contains(alias) || _inProgress.Contains(alias) || _queue.Count >= _capacity)
            {
                return false;
            }
            _queue.Enqueue(alias);
            _queued.Add(alias);
        }
        _available.Release();
        return true;
    }

    /// <summary>Waits for the next alias and marks it in progress; call <see cref="Release"/> when done with it.</summary>
    public async Task<string> ConsumeAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var alias = _queue.Dequeue();
            _queued.Remove(alias);
            _inProgress.Add(alias);
            return alias;
        }
    }

    /// <summary>The alias is no longer in progress and may be pushed again.</summary>
    public void Release(string alias)
    {
        lock (_gate)
        {
            _inProgress.Remove(alias);
        }
    }
}
