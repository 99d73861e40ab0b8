using System.Threading.Channels;

namespace Vtorc.Topo;

/// <summary>
/// One watch of an <see cref="InMemoryTopoStore"/>: the changes to a key, or to every key under a prefix, batch by
/// batch (one batch per revision), in revision order. Disposing it stops the delivery.
/// </summary>
internal sealed class InMemoryWatcher : IDisposable
{
    private readonly InMemoryTopoStore _store;
    private readonly string _key;
    private readonly bool _isPrefix;
    private readonly Channel<IReadOnlyList<TopoChange>> _channel =
        Channel.CreateUnbounded<IReadOnlyList<TopoChange>>(new UnboundedChannelOptions { SingleReader = true });

    public InMemoryWatcher(InMemoryTopoStore store, string key, bool isPrefix)
    {
        _store = store;
        _key = key;
        _isPrefix = isPrefix;
    }

    /// <summary>Called under the store's lock; never blocks (the channel is unbounded and wakes readers asynchronously).</summary>
    public void Deliver(IReadOnlyList<TopoChange> changes)
    {
        var mine = changes.Where(c => _isPrefix ? c.Key.StartsWith(_key, StringComparison.Ordinal) : c.Key == _key).ToList();
        if (mine.Count > 0)
        {
            _channel.Writer.TryWrite(mine);
        }
    }

    /// <summary>The next batch; null once the watcher is disposed.</summary>
    public async ValueTask<IReadOnlyList<TopoChange>?> ReadAsync(CancellationToken cancellationToken) =>
        await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _channel.Reader.TryRead(out var batch) ? batch : null;

    public void Dispose()
    {
        _store.Unwatch(this);
        _channel.Writer.TryComplete();
    }
}
