using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Query;
using Topodata;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// Real health streams (from the wrapped client) that a test can break on demand: the stream of a tablet then fails as a
/// broken connection does (UNAVAILABLE) while the tablet itself stays up and reachable.
/// </summary>
internal sealed class BreakableHealthStreams(ITabletHealthStreams inner) : ITabletHealthStreams
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _open = new(StringComparer.Ordinal);

    public async IAsyncEnumerable<StreamHealthResponse> StreamHealthAsync(Tablet tablet, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string alias = tablet.Alias.ToText();
        using var breaker = new CancellationTokenSource();
        _open[alias] = breaker;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, breaker.Token);
        var messages = inner.StreamHealthAsync(tablet, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await messages.MoveNextAsync();
                }
                catch (OperationCanceledException) when (breaker.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, "health stream broken by the test"));
                }
                if (!more)
                {
                    yield break;
                }
                yield return messages.Current;
            }
        }
        finally
        {
            await messages.DisposeAsync();
            _open.TryRemove(new KeyValuePair<string, CancellationTokenSource>(alias, breaker));
        }
    }

    /// <returns>Whether the tablet had an open stream to break.</returns>
    public bool Break(string alias)
    {
        if (!_open.TryGetValue(alias, out var breaker))
        {
            return false;
        }
        breaker.Cancel();
        return true;
    }
}
