using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Keeps <see cref="DiscoveryState"/> in line with the topology: tablets per cell
/// (go/vt/vtorc/logic/tablet_discovery.go) and keyspace/shard records (keyspace_shard_discovery.go), both filtered by
/// <c>--clusters-to-watch</c>. New or changed tablets are announced through <see cref="TabletChanged"/> (the poller
/// queues them); tablets gone from a cell that answered are forgotten and announced through
/// <see cref="TabletForgotten"/> (audit hook). The periodic refresh and <see cref="TopologyWatcher"/> apply records
/// through the same methods (<see cref="ApplyKeyspaceRecord"/>, <see cref="ApplyShardRecord"/>, <see cref="ApplyTablet"/>,
/// <see cref="Forget"/>; the watch enters through <see cref="ApplyWatchedKeyspace"/>, <see cref="ApplyWatchedShard"/>,
/// <see cref="ApplyTabletRecord"/> and <see cref="ApplyTabletDeleted"/>), so the two paths cannot disagree on what a
/// record means; a record the watch changed while a refresh was reading is left as the watch made it.
/// </summary>
public sealed class TopologyRefresher
{
    private const int MaxConcurrentShardReads = 8;

    private readonly TopoServer _topo;
    private readonly DiscoveryState _state;
    private readonly ClustersToWatch _watch;
    private DiscoverySettings _settings;
    private readonly TimeProvider _time;
    private readonly IDiscoveryMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _keyspaceRefreshGate = new(1, 1);
    // The watch's changes and the refresh's stale-read check are applied one record at a time under this gate, so a
    // refresh never puts back a value older than one the watch applied while it was reading.
    private readonly object _applyGate = new();
    private readonly WatchedRecordMarks _marks = new();

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

    /// <summary>
    /// The settings in force. <c>--topo-information-refresh-duration</c> is a dynamic setting in VTOrc: a new value
    /// bounds the next refresh and sets the period from the next tick on (VTOrc keeps its ticker's period; see
    /// docs/vitess-compatibility.md).
    /// </summary>
    public DiscoverySettings Settings
    {
        get => Volatile.Read(ref _settings);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            Volatile.Write(ref _settings, value);
        }
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
        // No refresh lasts longer than the longer of the two bounds; marks older than twice that guard nothing.
        var longest = Settings.TopoInformationRefreshDuration > Settings.RemoteOperationTimeout
            ? Settings.TopoInformationRefreshDuration
            : Settings.RemoteOperationTimeout;
        _marks.Prune(_time.GetUtcNow() - 2 * longest);
        var keyspaces = RefreshAllKeyspacesAndShardsAsync(cancellationToken);
        var tablets = RefreshAllTabletsAsync(cancellationToken);
        bool ok = (await keyspaces.ConfigureAwait(false)) & (await tablets.ConfigureAwait(false));
        if (ok && !_state.FirstDiscoveryCycleComplete)
        {
            _state.MarkFirstDiscoveryCycleComplete();
            _logger.FirstDiscoveryComplete(_state.Tablets.Count, _state.Shards.Count);
        }
        return ok;
    }

    /// <summary>
    /// The topo ticker of ContinuousDiscovery (go/vt/vtorc/logic/vtorc.go), not started: every
    /// <c>--topo-information-refresh-duration</c> (as in force at each tick), one <see cref="RefreshAllAsync"/> bounded
    /// by that same duration. The first refresh (<c>OpenTabletDiscovery</c>) is the caller's, before the ticks start.
    /// </summary>
    public BackgroundLoop CreateTicker(ILogger logger) =>
        BackgroundLoop.Periodic("topo refresh tick", logger, () => Settings.TopoInformationRefreshDuration, _time, RunTickAsync);

    private async Task RunTickAsync(CancellationToken stopping)
    {
        var period = Settings.TopoInformationRefreshDuration;
        using var tick = new CancellationTokenSource(period, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, tick.Token);
        try
        {
            bool ok = await RefreshAllAsync(linked.Token).ConfigureAwait(false);
            _logger.TopoRefreshTickDone(ok ? "complete" : "partial", _state.Tablets.Count, _state.Shards.Count);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            _logger.TopoRefreshTickTimedOut(period);
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
            _logger.TabletRefreshCellsUnreadable(e, e.Message);
            return false;
        }
        var (selected, missing) = Settings.SelectCells(cells);
        if (missing.Count > 0)
        {
            // As VTOrc (FAILED_PRECONDITION): a watched cell that does not exist fails the whole tablet refresh.
            _logger.TabletRefreshCellsMissing(string.Join(", ", missing));
            return false;
        }
        cells = selected;

        var answers = await Task.WhenAll(cells.Select(cell => ReadCellAsync(cell, cancellationToken))).ConfigureAwait(false);

        foreach (var failed in answers.Where(a => a.Error is not null))
        {
            _logger.TabletRefreshCellSkipped(failed.Cell, failed.Error!.Message);
        }
        var answered = answers.Where(a => a.Tablets is not null).ToArray();
        if (answered.Sum(a => a.Tablets!.Count) == 0)
        {
            // As VTOrc: an empty answer forgets nothing (a topo that momentarily lists nothing must not wipe the state).
            _logger.TabletRefreshFoundNoCells(cells.Count, answers.Length - answered.Length);
            return answered.Length > 0 || cells.Count == 0;
        }

        foreach (var answer in answered)
        {
            ApplyCell(answer.Cell, answer.Tablets!, answer.Unreadable, answer.Since);
        }
        return true;
    }

    /// <summary>
    /// Re-reads the tablets of one cell (the watcher's fresh start after a compaction): as
    /// <see cref="RefreshAllTabletsAsync"/> for that cell alone; an empty answer forgets nothing.
    /// </summary>
    /// <returns>True when the cell answered.</returns>
    internal async Task<bool> RefreshTabletsOfCellAsync(string cell, CancellationToken cancellationToken)
    {
        var answer = await ReadCellAsync(cell, cancellationToken).ConfigureAwait(false);
        if (answer.Tablets is null)
        {
            _logger.CellTabletsUnreadable(cell, answer.Error!.Message);
            return false;
        }
        if (answer.Tablets.Count > 0)
        {
            ApplyCell(cell, answer.Tablets, answer.Unreadable, answer.Since);
        }
        return true;
    }

    private async Task<CellAnswer> ReadCellAsync(string cell, CancellationToken cancellationToken)
    {
        long since = _marks.Current;
        try
        {
            var unreadable = new System.Collections.Concurrent.ConcurrentBag<string>();
            var tablets = await WithRemoteTimeout(ct => _topo.GetTabletsByCellAsync(cell, (alias, error) =>
            {
                // One bad record must not blind discovery to the whole cell; it is skipped, not forgotten.
                unreadable.Add(alias);
                ReportUnreadableTablet(cell, alias, error);
            }, ct), cancellationToken).ConfigureAwait(false);
            return new CellAnswer(cell, tablets, unreadable.ToArray(), null, since);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new CellAnswer(cell, null, [], e, since);
        }
    }

    /// <param name="Since">The watch's mark sequence when the read began.</param>
    private sealed record CellAnswer(string Cell, IReadOnlyList<TopoRecord<Tablet>>? Tablets, IReadOnlyCollection<string> Unreadable, Exception? Error,
        long Since);

    /// <summary>A tablet record exists but cannot be decoded: logged naming it, and the tablet is kept as last seen.</summary>
    internal void ReportUnreadableTablet(string cell, string alias, TopoException error) =>
        _logger.TabletRecordUndecodable(cell, alias, error.Message);

    /// <summary>
    /// Re-reads one shard's tablets (for recoveries): new/changed ones are saved and announced, stored tablets of the
    /// shard that the topo no longer lists are forgotten.
    /// </summary>
    public async Task RefreshTabletsOfShardAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        long since = _marks.Current;
        var records = await WithRemoteTimeout(ct => _topo.GetTabletsByShardAsync(keyspace, shard, ct), cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var tablet = new TabletRecord(record.Value);
            seen.Add(tablet.Alias);
            ApplyUnlessWatchedSince(WatchedRecordMarks.Tablet(tablet.Alias), since, () => SaveAndAnnounce(tablet));
        }
        foreach (var stale in _state.TabletsOfShard(keyspace, shard).Where(t => !seen.Contains(t.Alias)))
        {
            ApplyUnlessWatchedSince(WatchedRecordMarks.Tablet(stale.Alias), since, () => Forget(stale, $"no longer listed for shard {keyspace}/{shard}"));
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
                    _logger.KeyspaceListFailed(e, e.Message);
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
        long since = _marks.Current;
        var keyspaceTask = WithRemoteTimeout(ct => _topo.Keyspaces.TryGetAsync(keyspace, ct), cancellationToken);
        var shardTask = WithRemoteTimeout(ct => _topo.Shards.TryGetAsync((keyspace, shard), ct), cancellationToken);
        var keyspaceRecord = await keyspaceTask.ConfigureAwait(false);
        var shardRecord = await shardTask.ConfigureAwait(false);
        ApplyUnlessWatchedSince(WatchedRecordMarks.Keyspace(keyspace), since, () => ApplyKeyspaceRecord(keyspace, keyspaceRecord));
        ApplyUnlessWatchedSince(WatchedRecordMarks.Shard(keyspace, shard), since, () => ApplyShardRecord(keyspace, shard, shardRecord));
    }

    private async Task<bool> RefreshKeyspaceAsync(string keyspace, CancellationToken cancellationToken)
    {
        var keyspaceTask = ReadKeyspaceAsync(keyspace, cancellationToken);
        var shardsTask = ReadShardsAsync(keyspace, cancellationToken);
        return (await keyspaceTask.ConfigureAwait(false)) & (await shardsTask.ConfigureAwait(false));
    }

    private async Task<bool> ReadKeyspaceAsync(string keyspace, CancellationToken cancellationToken)
    {
        long since = _marks.Current;
        try
        {
            var record = await WithRemoteTimeout(ct => _topo.Keyspaces.TryGetAsync(keyspace, ct), cancellationToken).ConfigureAwait(false);
            ApplyUnlessWatchedSince(WatchedRecordMarks.Keyspace(keyspace), since, () => ApplyKeyspaceRecord(keyspace, record));
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.KeyspaceReadFailed(e, keyspace, e.Message);
            return false;
        }
    }

    private async Task<bool> ReadShardsAsync(string keyspace, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, TopoRecord<Shard>> shards;
        long since = _marks.Current;
        try
        {
            // GetShardsAsync reads all of them in one prefix scan, which stays within VTOrc's limit of
            // MaxConcurrentShardReads concurrent reads per keyspace.
            shards = await WithRemoteTimeout(ct => _topo.GetShardsAsync(keyspace, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.ShardListFailed(e, keyspace, MaxConcurrentShardReads, e.Message);
            return false;
        }
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, record) in shards)
        {
            bool tracked = true;
            ApplyUnlessWatchedSince(WatchedRecordMarks.Shard(keyspace, name), since, () => tracked = ApplyShardRecord(keyspace, name, record));
            if (tracked)
            {
                kept.Add(name);
            }
        }
        IReadOnlyList<string> removedShards;
        lock (_applyGate)
        {
            // Shards the watch added or changed since the read began are its to keep or drop.
            kept.UnionWith(_state.Shards.Where(s => s.Keyspace == keyspace && _marks.MarkedSince(WatchedRecordMarks.Shard(keyspace, s.Shard), since))
                .Select(s => s.Shard));
            removedShards = _state.RemoveShardsExcept(keyspace, kept);
        }
        foreach (var removed in removedShards)
        {
            _logger.ShardDropped(keyspace, removed);
        }
        return true;
    }

    /// <summary>
    /// Applies a shard record as read (null: the shard does not exist): saved when the shard is in
    /// <c>--clusters-to-watch</c>, dropped when it is gone or not watched.
    /// </summary>
    /// <returns>True when the shard is tracked now.</returns>
    private bool ApplyShardRecord(string keyspace, string shard, TopoRecord<Shard>? record)
    {
        if (!_watch.MatchesShard(keyspace, shard))
        {
            _logger.ShardNotWatched(keyspace, shard);
            if (_state.TryGetShard(keyspace, shard) is not null)
            {
                _state.RemoveShard(keyspace, shard);
            }
            return false;
        }
        if (record is null)
        {
            if (_state.TryGetShard(keyspace, shard) is not null)
            {
                _state.RemoveShard(keyspace, shard);
                _logger.ShardDeleted(keyspace, shard);
            }
            return false;
        }
        var previous = _state.TryGetShard(keyspace, shard);
        var next = ShardRecord.FromTopo(keyspace, shard, record.Value);
        if (previous is null)
        {
            _logger.ShardDiscovered(
                keyspace, shard, (record.Value.PrimaryAlias?.ToText() ?? "") is { Length: > 0 } primary ? "primary " + primary : "no primary yet");
        }
        _state.SaveShard(next);
        return true;
    }

    /// <summary>Applies a keyspace record as read (null: the keyspace does not exist).</summary>
    private void ApplyKeyspaceRecord(string keyspace, TopoRecord<Keyspace>? record)
    {
        if (!_watch.WatchesKeyspace(keyspace))
        {
            _logger.KeyspaceNotWatched(keyspace);
            return;
        }
        if (record is null)
        {
            if (_state.TryGetKeyspace(keyspace) is not null)
            {
                _logger.KeyspaceDeleted(keyspace);
            }
            else
            {
                _logger.WatchedKeyspaceMissing(keyspace);
            }
            _state.RemoveKeyspace(keyspace);
            return;
        }
        var next = KeyspaceRecord.FromTopo(keyspace, record.Value);
        var previous = _state.TryGetKeyspace(keyspace);
        if (previous != next)
        {
            _logger.KeyspaceSettingsRead(
                keyspace, next.KeyspaceType, next.DurabilityPolicy, next.EmergencyReparentDisabled ? "disabled" : "enabled");
        }
        _state.SaveKeyspace(next);
    }

    /// <param name="unreadable">Aliases whose record exists but could not be read: kept as they were, never forgotten.</param>
    private void ApplyCell(string cell, IReadOnlyList<TopoRecord<Tablet>> records, IReadOnlyCollection<string> unreadable, long since)
    {
        var seen = new HashSet<string>(unreadable, StringComparer.Ordinal);
        int watched = 0;
        foreach (var record in records)
        {
            var alias = record.Value.Alias?.ToText() ?? "";
            // A tablet the watch changed since the read began counts as seen: the watch's value stands.
            var outcome = TabletOutcome.Unusable;
            if (!ApplyUnlessWatchedSince(WatchedRecordMarks.Tablet(alias), since, () => outcome = ApplyTablet(cell, record.Value)))
            {
                outcome = _state.TryGetTablet(alias) is null ? TabletOutcome.Unusable : TabletOutcome.Tracked;
            }
            if (outcome != TabletOutcome.NotWatched)
            {
                seen.Add(alias);
            }
            if (outcome == TabletOutcome.Tracked)
            {
                watched++;
            }
        }
        _metrics.SetTabletsWatchedByCell(cell, watched);

        foreach (var stale in _state.TabletsInCell(cell).Where(t => !seen.Contains(t.Alias)))
        {
            ApplyUnlessWatchedSince(WatchedRecordMarks.Tablet(stale.Alias), since, () => Forget(stale, $"no longer in the topo of cell {cell}"));
        }
    }

    /// <summary>The watch's change to a keyspace record (null: deleted).</summary>
    internal void ApplyWatchedKeyspace(string keyspace, TopoRecord<Keyspace>? record) =>
        ApplyFromWatch(WatchedRecordMarks.Keyspace(keyspace), () => ApplyKeyspaceRecord(keyspace, record));

    /// <summary>The watch's change to a shard record (null: deleted).</summary>
    internal void ApplyWatchedShard(string keyspace, string shard, TopoRecord<Shard>? record) =>
        ApplyFromWatch(WatchedRecordMarks.Shard(keyspace, shard), () => ApplyShardRecord(keyspace, shard, record));

    /// <summary>
    /// Applies one tablet record as it now is in <paramref name="cell"/>'s topo (the watch's put): saved and announced
    /// when new or changed; forgotten when it has left <c>--clusters-to-watch</c>.
    /// </summary>
    internal void ApplyTabletRecord(string cell, Tablet tablet)
    {
        var alias = tablet.Alias?.ToText() ?? "";
        ApplyFromWatch(WatchedRecordMarks.Tablet(alias), () =>
        {
            if (ApplyTablet(cell, tablet) == TabletOutcome.NotWatched && _state.TryGetTablet(alias) is { } stored)
            {
                Forget(stored, "no longer in --clusters-to-watch");
            }
        });
    }

    /// <summary>A tablet record was deleted from <paramref name="cell"/>'s topo (the watch's delete): forgotten.</summary>
    internal void ApplyTabletDeleted(string cell, string alias) =>
        ApplyFromWatch(WatchedRecordMarks.Tablet(alias), () =>
        {
            if (_state.TryGetTablet(alias) is { } stored && stored.Cell == cell)
            {
                Forget(stored, $"deleted from the topo of cell {cell}");
            }
        });

    private void ApplyFromWatch(string record, Action apply)
    {
        lock (_applyGate)
        {
            _marks.Mark(record, _time.GetUtcNow());
            apply();
        }
    }

    /// <summary>Applies what a refresh read of <paramref name="record"/>, unless the watch changed it after <paramref name="since"/>.</summary>
    /// <returns>False when the watch's value was kept.</returns>
    private bool ApplyUnlessWatchedSince(string record, long since, Action apply)
    {
        lock (_applyGate)
        {
            if (_marks.MarkedSince(record, since))
            {
                _logger.RefreshKeptWatchValue(record);
                return false;
            }
            apply();
            return true;
        }
    }

    private enum TabletOutcome
    {
        NotWatched,
        Unusable,
        Tracked,
    }

    private TabletOutcome ApplyTablet(string cell, Tablet tablet)
    {
        var alias = tablet.Alias?.ToText() ?? "";
        if (!IsWatched(tablet))
        {
            _logger.TabletNotWatched(alias, tablet.Keyspace, tablet.Shard);
            return TabletOutcome.NotWatched;
        }
        TabletRecord parsed;
        try
        {
            parsed = new TabletRecord(tablet);
        }
        catch (ArgumentException e)
        {
            // The record exists: a tablet known from an earlier, valid record is kept rather than forgotten.
            _logger.TabletRecordIgnored(cell, alias, e.Message);
            return TabletOutcome.Unusable;
        }
        SaveAndAnnounce(parsed);
        return TabletOutcome.Tracked;
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
        // A new tablet's shard is not analysed until its first poll ends (DetectionAnalyzer, AwaitingFirstPoll).
        if (!_state.SaveTablet(tablet, discoveredAt: _time.GetUtcNow()))
        {
            return;
        }
        if (known)
        {
            _logger.TabletChanged(tablet);
        }
        else
        {
            _logger.TabletDiscovered(tablet, tablet.Cell);
        }
        Notify(TabletChanged, tablet, nameof(TabletChanged));
    }

    private void Forget(TabletRecord tablet, string why)
    {
        if (_state.ForgetTablet(tablet.Alias, _time.GetUtcNow()) is null)
        {
            return;
        }
        _logger.TabletForgotten(tablet, why, _state.ForgetTtl);
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
            _logger.TabletHandlerFailed(e, name, tablet, e.Message);
        }
    }

    private async Task<T> WithRemoteTimeout<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(Settings.RemoteOperationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        return await call(linked.Token).ConfigureAwait(false);
    }
}
