using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Keeps <see cref="DiscoveryState"/> in line with the topology: tablets per cell
/// (go/vt/vtorc/logic/tablet_discovery.go) and keyspace/shard records (keyspace_shard_discovery.go), both filtered by
/// <c>--clusters-to-watch</c>. New or changed tablets are announced through <see cref="TabletChanged"/> (the poller
/// queues them); tablets gone from a cell that answered are forgotten and announced through
/// <see cref="TabletForgotten"/> (audit hook).
/// </summary>
public sealed class TopologyRefresher
{
    private const int MaxConcurrentShardReads = 8;

    private readonly TopoServer _topo;
    private readonly DiscoveryState _state;
    private readonly ClustersToWatch _watch;
    private readonly DiscoverySettings _settings;
    private readonly TimeProvider _time;
    private readonly IDiscoveryMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _keyspaceRefreshGate = new(1, 1);

    public TopologyRefresher(TopoServer topo, DiscoveryState state, ClustersToWatch watch, DiscoverySettings settings,
        TimeProvider time, IDiscoveryMetrics metrics, ILogger<TopologyRefresher> logger)
    {
        _topo = topo ?? throw new ArgumentNullException(nameof(topo));
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _watch = watch ?? throw new ArgumentNullException(nameof(watch));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _settings.Validate();
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>A tablet record was new or changed and has been saved; it should be polled.</summary>
    public event Action<TabletRecord>? TabletChanged;

    /// <summary>A tablet disappeared from the topo and has been forgotten (the daemon writes the <c>forget</c> audit entry).</summary>
    public event Action<TabletRecord>? TabletForgotten;

    /// <summary>
    /// One topo tick (<c>refreshAllInformation</c>): tablets and keyspaces/shards concurrently; when both succeed
    /// the "first discovery cycle complete" flag is set.
    /// </summary>
    public async Task<bool> RefreshAllAsync(CancellationToken cancellationToken)
    {
        var keyspaces = RefreshAllKeyspacesAndShardsAsync(cancellationToken);
        var tablets = RefreshAllTabletsAsync(cancellationToken);
        bool ok = (await keyspaces.ConfigureAwait(false)) & (await tablets.ConfigureAwait(false));
        if (ok && !_state.FirstDiscoveryCycleComplete)
        {
            _state.MarkFirstDiscoveryCycleComplete();
            _logger.LogInformation("First discovery cycle complete: {Tablets} tablets, {Shards} shards known",
                _state.Tablets.Count, _state.Shards.Count);
        }
        return ok;
    }

    /// <summary>
    /// The topo ticker of ContinuousDiscovery (go/vt/vtorc/logic/vtorc.go): every
    /// <c>--topo-information-refresh-duration</c>, one <see cref="RefreshAllAsync"/> bounded by that same duration,
    /// until <paramref name="stopping"/> is cancelled. The first refresh (<c>OpenTabletDiscovery</c>) is the caller's,
    /// before the ticks start.
    /// </summary>
    public async Task RunTicksAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_settings.TopoInformationRefreshDuration, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                using var tick = new CancellationTokenSource(_settings.TopoInformationRefreshDuration, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, tick.Token);
                try
                {
                    bool ok = await RefreshAllAsync(linked.Token).ConfigureAwait(false);
                    _logger.LogDebug("Topo refresh tick done ({Outcome}): {Tablets} tablets, {Shards} shards",
                        ok ? "complete" : "partial", _state.Tablets.Count, _state.Shards.Count);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    _logger.LogWarning("Topo refresh tick did not finish within {Duration}; continuing at the next tick",
                        _settings.TopoInformationRefreshDuration);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>As refreshAllTablets: lists every cell's tablets concurrently; a cell that fails is skipped, including
    /// for forgetting.</summary>
    /// <returns>True when at least one cell answered (a partial result still counts, as in VTOrc).</returns>
    public async Task<bool> RefreshAllTabletsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> cells;
        try
        {
            cells = await WithRemoteTimeout(ct => _topo.GetCellNamesAsync(ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Tablet refresh: cannot list the cells: {Error}", e.Message);
            return false;
        }

        var answers = await Task.WhenAll(cells.Select(async cell =>
        {
            try
            {
                var unreadable = new System.Collections.Concurrent.ConcurrentBag<string>();
                var tablets = await WithRemoteTimeout(ct => _topo.GetTabletsByCellAsync(cell, (alias, error) =>
                {
                    // One bad record must not blind discovery to the whole cell; it is skipped, not forgotten.
                    unreadable.Add(alias);
                    _logger.LogError("Cell {Cell}: tablet record of {Alias} cannot be decoded, skipping it (kept as last seen, not forgotten): {Error}",
                        cell, alias, error.Message);
                }, ct), cancellationToken).ConfigureAwait(false);
                return (Cell: cell, Tablets: tablets, Unreadable: (IReadOnlyCollection<string>)unreadable.ToArray(), Error: (Exception?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (Cell: cell, Tablets: (IReadOnlyList<TopoRecord<Tablet>>?)null, Unreadable: (IReadOnlyCollection<string>)[], Error: e);
            }
        })).ConfigureAwait(false);

        foreach (var failed in answers.Where(a => a.Error is not null))
        {
            _logger.LogWarning("Partial topo result: cannot list the tablets of cell {Cell}, skipping it (no tablet of it is forgotten): {Error}",
                failed.Cell, failed.Error!.Message);
        }
        var answered = answers.Where(a => a.Tablets is not null).ToArray();
        if (answered.Sum(a => a.Tablets!.Count) == 0)
        {
            // As VTOrc: an empty answer forgets nothing (a topo that momentarily lists nothing must not wipe the state).
            _logger.LogInformation("Found no cells with tablets ({Cells} cells, {Failed} failed); nothing changed",
                cells.Count, answers.Length - answered.Length);
            return answered.Length > 0 || cells.Count == 0;
        }

        foreach (var answer in answered)
        {
            ApplyCell(answer.Cell, answer.Tablets!, answer.Unreadable);
        }
        return true;
    }

    /// <summary>
    /// Re-reads one shard's tablets (for recoveries): new/changed ones are saved and announced, stored tablets of the
    /// shard that the topo no longer lists are forgotten.
    /// </summary>
    public async Task RefreshTabletsOfShardAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        var records = await WithRemoteTimeout(ct => _topo.GetTabletsByShardAsync(keyspace, shard, ct), cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var tablet = new TabletRecord(record.Value);
            seen.Add(tablet.Alias);
            SaveAndAnnounce(tablet);
        }
        foreach (var stale in _state.TabletsOfShard(keyspace, shard).Where(t => !seen.Contains(t.Alias)))
        {
            Forget(stale, $"no longer listed for shard {keyspace}/{shard}");
        }
    }

    /// <summary>As RefreshAllKeyspacesAndShards: keyspace records and the watched shards of every watched keyspace;
    /// serialized.</summary>
    /// <returns>True when every keyspace was read.</returns>
    public async Task<bool> RefreshAllKeyspacesAndShardsAsync(CancellationToken cancellationToken)
    {
        await _keyspaceRefreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<string> keyspaces;
            if (_watch.WatchesAllKeyspaces)
            {
                try
                {
                    keyspaces = await WithRemoteTimeout(ct => _topo.GetKeyspaceNamesAsync(ct), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "Keyspace refresh: cannot list the keyspaces: {Error}", e.Message);
                    return false;
                }
            }
            else
            {
                keyspaces = _watch.Keyspaces;
            }
            var results = await Task.WhenAll(keyspaces.Select(ks => RefreshKeyspaceAsync(ks, cancellationToken))).ConfigureAwait(false);
            return results.All(ok => ok);
        }
        finally
        {
            _keyspaceRefreshGate.Release();
        }
    }

    /// <summary><c>RefreshKeyspaceAndShard</c>: one keyspace record and one shard record, for recoveries.</summary>
    public async Task RefreshShardAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        var keyspaceTask = WithRemoteTimeout(ct => _topo.Keyspaces.TryGetAsync(keyspace, ct), cancellationToken);
        var shardTask = WithRemoteTimeout(ct => _topo.Shards.TryGetAsync((keyspace, shard), ct), cancellationToken);
        var keyspaceRecord = await keyspaceTask.ConfigureAwait(false);
        var shardRecord = await shardTask.ConfigureAwait(false);
        SaveKeyspace(keyspace, keyspaceRecord);
        if (shardRecord is null)
        {
            _state.RemoveShard(keyspace, shard);
            _logger.LogInformation("Shard {Keyspace}/{Shard} no longer exists in the topo; dropped its record", keyspace, shard);
        }
        else
        {
            _state.SaveShard(ShardRecord.FromTopo(keyspace, shard, shardRecord.Value));
        }
    }

    private async Task<bool> RefreshKeyspaceAsync(string keyspace, CancellationToken cancellationToken)
    {
        var keyspaceTask = ReadKeyspaceAsync(keyspace, cancellationToken);
        var shardsTask = ReadShardsAsync(keyspace, cancellationToken);
        return (await keyspaceTask.ConfigureAwait(false)) & (await shardsTask.ConfigureAwait(false));
    }

    private async Task<bool> ReadKeyspaceAsync(string keyspace, CancellationToken cancellationToken)
    {
        try
        {
            var record = await WithRemoteTimeout(ct => _topo.Keyspaces.TryGetAsync(keyspace, ct), cancellationToken).ConfigureAwait(false);
            SaveKeyspace(keyspace, record);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Keyspace refresh: cannot read keyspace {Keyspace}: {Error}", keyspace, e.Message);
            return false;
        }
    }

    private async Task<bool> ReadShardsAsync(string keyspace, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, TopoRecord<Shard>> shards;
        try
        {
            // GetShardsAsync reads all of them in one prefix scan, which stays within VTOrc's limit of
            // MaxConcurrentShardReads concurrent reads per keyspace.
            shards = await WithRemoteTimeout(ct => _topo.GetShardsAsync(keyspace, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Shard refresh: cannot read the shards of keyspace {Keyspace} (limit {Limit} concurrent reads): {Error}",
                keyspace, MaxConcurrentShardReads, e.Message);
            return false;
        }
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, record) in shards)
        {
            if (!_watch.MatchesShard(keyspace, name))
            {
                _logger.LogDebug("Shard {Keyspace}/{Shard} is not in --clusters-to-watch; not tracked", keyspace, name);
                continue;
            }
            kept.Add(name);
            if (_state.TryGetShard(keyspace, name) is null)
            {
                _logger.LogInformation("Discovered shard {Keyspace}/{Shard} ({Primary})", keyspace, name,
                    VtTimes.AliasText(record.Value.PrimaryAlias) is { Length: > 0 } primary ? "primary " + primary : "no primary yet");
            }
            _state.SaveShard(ShardRecord.FromTopo(keyspace, name, record.Value));
        }
        foreach (var removed in _state.RemoveShardsExcept(keyspace, kept))
        {
            _logger.LogInformation("Shard {Keyspace}/{Shard} is no longer in the topo (or no longer watched); dropped its record", keyspace, removed);
        }
        return true;
    }

    private void SaveKeyspace(string keyspace, TopoRecord<Keyspace>? record)
    {
        if (record is null)
        {
            if (_state.TryGetKeyspace(keyspace) is not null)
            {
                _logger.LogInformation("Keyspace {Keyspace} no longer exists in the topo; dropped its record", keyspace);
            }
            else
            {
                _logger.LogDebug("Keyspace {Keyspace} (from --clusters-to-watch) does not exist in the topo", keyspace);
            }
            _state.RemoveKeyspace(keyspace);
            return;
        }
        var next = KeyspaceRecord.FromTopo(keyspace, record.Value);
        var previous = _state.TryGetKeyspace(keyspace);
        if (previous != next)
        {
            _logger.LogInformation("Keyspace {Keyspace}: type {Type}, durability policy \"{Durability}\", emergency reparent {Ers}",
                keyspace, next.KeyspaceType, next.DurabilityPolicy, next.EmergencyReparentDisabled ? "disabled" : "enabled");
        }
        _state.SaveKeyspace(next);
    }

    /// <param name="unreadable">Aliases whose record exists but could not be read: kept as they were, never forgotten.</param>
    private void ApplyCell(string cell, IReadOnlyList<TopoRecord<Tablet>> records, IReadOnlyCollection<string> unreadable)
    {
        var seen = new HashSet<string>(unreadable, StringComparer.Ordinal);
        int watched = 0;
        foreach (var record in records)
        {
            var tablet = record.Value;
            var alias = VtTimes.AliasText(tablet.Alias);
            if (!IsWatched(tablet))
            {
                _logger.LogDebug("Tablet {Alias} of {Keyspace}/{Shard} is not in --clusters-to-watch; ignored", alias, tablet.Keyspace, tablet.Shard);
                continue;
            }
            TabletRecord parsed;
            try
            {
                parsed = new TabletRecord(tablet);
            }
            catch (ArgumentException e)
            {
                // The record exists: a tablet known from an earlier, valid record is kept rather than forgotten.
                _logger.LogWarning("Cell {Cell}: ignoring tablet record \"{Alias}\": {Error}", cell, alias, e.Message);
                seen.Add(alias);
                continue;
            }
            watched++;
            seen.Add(parsed.Alias);
            SaveAndAnnounce(parsed);
        }
        _metrics.SetTabletsWatchedByCell(cell, watched);

        foreach (var stale in _state.TabletsInCell(cell).Where(t => !seen.Contains(t.Alias)))
        {
            Forget(stale, $"no longer in the topo of cell {cell}");
        }
    }

    private bool IsWatched(Tablet tablet)
    {
        if (_watch.WatchesAllKeyspaces)
        {
            return true;
        }
        return _watch.MatchesShard(tablet.Keyspace, tablet.Shard);
    }

    private void SaveAndAnnounce(TabletRecord tablet)
    {
        bool known = _state.TryGetTablet(tablet.Alias) is not null;
        if (!_state.SaveTablet(tablet))
        {
            return;
        }
        if (known)
        {
            _logger.LogInformation("Tablet {Tablet} changed in the topo; polling it", tablet);
        }
        else
        {
            _logger.LogInformation("Discovered tablet {Tablet} in cell {Cell}; polling it", tablet, tablet.Cell);
        }
        Notify(TabletChanged, tablet, nameof(TabletChanged));
    }

    private void Forget(TabletRecord tablet, string why)
    {
        if (_state.ForgetTablet(tablet.Alias, _time.GetUtcNow()) is null)
        {
            return;
        }
        _logger.LogInformation("Forgetting tablet {Tablet}: {Why}; not polled for {Ttl}", tablet, why, _state.ForgetTtl);
        Notify(TabletForgotten, tablet, nameof(TabletForgotten));
    }

    private void Notify(Action<TabletRecord>? handlers, TabletRecord tablet, string name)
    {
        try
        {
            handlers?.Invoke(tablet);
        }
        catch (Exception e)
        {
            // A failing subscriber (poll queue, audit) must not stop the refresh of the other tablets.
            _logger.LogError(e, "A {Event} handler failed for tablet {Tablet}: {Error}", name, tablet, e.Message);
        }
    }

    private async Task<T> WithRemoteTimeout<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_settings.RemoteOperationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        return await call(linked.Token).ConfigureAwait(false);
    }
}
