using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// The FIFO of tablet aliases waiting to be polled (go/vt/vtorc/logic/discovery_queue.go). An alias is held at most
/// once: pushing one that is queued or being polled is a no-op, so a slow tablet cannot pile up work. Thread-safe.
/// </summary>
public sealed class DiscoveryQueue
{
    public const int DefaultCapacity = 100_000;

    // Every alias queued or being polled, so a second push is refused; the channel holds the queued ones in order.
    // No lock: at fleet size every poll passes here twice and 300 workers contended on one (docs/reliability.md,
    // "How often each tablet is polled").
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly int _capacity;
    private int _count;

    public DiscoveryQueue(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Aliases waiting (not counting those being polled).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <returns>True when the alias was added; false when it was already queued or in progress, or the queue is full.</returns>
    public bool Push(string alias)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        if (Volatile.Read(ref _count) >= _capacity || !_held.TryAdd(alias, 0))
        {
            return false;
        }
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            // Lost a race for the last places: undo.
            Interlocked.Decrement(ref _count);
            _held.TryRemove(alias, out _);
            return false;
        }
        _queue.Writer.TryWrite(alias);
        return true;
    }

    /// <summary>Waits for the next alias and marks it in progress; call <see cref="Release"/> when done with it.</summary>
    public async Task<string> ConsumeAsync(CancellationToken cancellationToken)
    {
        var alias = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _count);
        return alias;
    }

    /// <summary>The alias is no longer in progress and may be pushed again.</summary>
    public void Release(string alias) => _held.TryRemove(alias, out _);
}
