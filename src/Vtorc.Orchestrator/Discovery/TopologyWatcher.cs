using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Watches the topology in etcd so that keyspace, shard and tablet changes reach <see cref="DiscoveryState"/> within
/// a second instead of at the next periodic refresh (docs/architecture.md, "How topology reaches the daemon"): one
/// watch on the global <c>keyspaces/</c> directory and one on each cell's <c>tablets/</c> directory, each change applied
/// through <see cref="TopologyRefresher"/>'s own methods (so <c>--clusters-to-watch</c> and every rule of the refresh
/// hold). The set of cells is re-listed every <c>--topo-information-refresh-duration</c>. The periodic refresh keeps
/// running as the safety net. Vitess's VTOrc only refreshes (docs/vitess-compatibility.md).
/// </summary>
public sealed class TopologyWatcher
{
    private readonly TopoServer _topo;
    private readonly TopologyRefresher _refresher;
    private readonly TopologyWatchSettings _settings;
    private readonly DiscoverySettings _discovery;
    private readonly ILogger _logger;
    private readonly Dictionary<string, long> _preparedRevisions = new(StringComparer.Ordinal);
    private long _preparedGlobalRevision;

    public TopologyWatcher(TopoServer topo, TopologyRefresher refresher, TopologyWatchSettings settings, DiscoverySettings discovery,
        ILogger<TopologyWatcher> logger)
    {
        _topo = topo ?? throw new ArgumentNullException(nameof(topo));
        _refresher = refresher ?? throw new ArgumentNullException(nameof(refresher));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _settings.Validate();
        _discovery = discovery ?? throw new ArgumentNullException(nameof(discovery));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>What the watches did so far.</summary>
    public TopologyWatchStats Stats { get; } = new();

    /// <summary>
    /// Notes the current revision of the global topo and of every cell, so that <see cref="RunAsync"/> watches from
    /// there without reading everything again: call it just before a full refresh (the daemon's first one). A scope
    /// whose revision cannot be read here is read in full when its watch starts.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _preparedGlobalRevision = await TryRevisionAsync("the global topo", _ => Task.FromResult(_topo.Global), cancellationToken).ConfigureAwait(false);
        var cells = await TryListCellsAsync(cancellationToken).ConfigureAwait(false) ?? [];
        var revisions = await Task.WhenAll(cells.Select(cell =>
            TryRevisionAsync($"cell {cell}", ct => _topo.ConnForCellAsync(cell, ct), cancellationToken))).ConfigureAwait(false);
        lock (_preparedRevisions)
        {
            for (int i = 0; i < cells.Count; i++)
            {
                _preparedRevisions[cells[i]] = revisions[i];
            }
        }
    }

    /// <summary>Runs the watches until <paramref name="stopping"/> is cancelled; returns once every stream is closed.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var loops = new Dictionary<string, BackgroundLoop>(StringComparer.Ordinal);
        var global = StartLoop(new KeyspacesWatchScope(_topo, _refresher), Interlocked.Exchange(ref _preparedGlobalRevision, 0));
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (await TryListCellsAsync(stopping).ConfigureAwait(false) is { } cells)
                {
                    foreach (var cell in cells.Where(c => !loops.ContainsKey(c)))
                    {
                        loops[cell] = StartLoop(new CellTabletsWatchScope(_topo, _refresher, cell), TakePreparedRevision(cell));
                    }
                    foreach (var gone in loops.Keys.Where(c => !cells.Contains(c)).ToArray())
                    {
                        _logger.TopoWatchCellGone(gone);
                        await loops[gone].StopAsync().ConfigureAwait(false);
                        loops.Remove(gone);
                    }
                }
                try
                {
                    await Task.Delay(_discovery.TopoInformationRefreshDuration, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            await Task.WhenAll(loops.Values.Append(global).Select(l => l.StopAsync())).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the watch of one scope; <see cref="RunAsync"/> stops it when the scope goes or the watches stop.</summary>
    private BackgroundLoop StartLoop(TopologyWatchScope scope, long startRevision)
    {
        var loop = new TopologyWatchLoop(scope, startRevision, _settings, _discovery.RemoteOperationTimeout, Stats, _logger);
        var running = new BackgroundLoop($"topo watch of {scope.Name}", _logger, loop.RunAsync);
        running.Start();
        return running;
    }

    private long TakePreparedRevision(string cell)
    {
        lock (_preparedRevisions)
        {
            return _preparedRevisions.Remove(cell, out var revision) ? revision : 0;
        }
    }

    /// <returns>The revision to start watching from (one past the current one); 0 when it could not be read.</returns>
    private async Task<long> TryRevisionAsync(string what, Func<CancellationToken, Task<ITopoConnection>> connection, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_discovery.RemoteOperationTimeout);
        try
        {
            var topo = await connection(deadline.Token).ConfigureAwait(false);
            return await topo.CurrentRevisionAsync(deadline.Token).ConfigureAwait(false) + 1;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            _logger.TopoWatchRevisionUnreadable(what, e.Message);
            return 0;
        }
    }

    private async Task<IReadOnlyList<string>?> TryListCellsAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_discovery.RemoteOperationTimeout);
        try
        {
            // Only the --cells-to-watch cells that exist; the refresh reports the missing ones.
            return _discovery.SelectCells(await _topo.GetCellNamesAsync(deadline.Token).ConfigureAwait(false)).Cells;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            _logger.TopoWatchCellsUnreadable(e.Message, _discovery.TopoInformationRefreshDuration);
            return null;
        }
    }
}
