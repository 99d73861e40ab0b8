using Microsoft.Extensions.Logging;
using Replicationdata;
using Topodata;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Agent.ShardHealth;

/// <summary>
/// <c>--track-shard-tablet-health</c> (vttablet's shard-peer monitor, go/vt/vttablet/tabletmanager/shard_health.go):
/// every <see cref="TopologyRefreshInterval"/> reads the shard record's primary and the shard's tablets, and every
/// <c>--shard-tablet-health-interval</c> sends that primary a TabletManager Ping, at most one at a time, each bounded by
/// twice the interval. What it learns is what FullStatus reports in field 26 (<see cref="Report"/>); the orchestrator's
/// opt-in PrimaryTabletUnreachableByQuorum detection counts these reports as votes. The decisions are
/// <see cref="ShardPeerHealthTracker"/>'s; this class only does the I/O and logs what changed (tracking, lost and
/// regained contact), not every tick.
/// </summary>
public sealed class ShardPeerMonitor : IAsyncDisposable
{
    /// <summary>How often the shard record and the shard's tablets are read again (vttablet's fixed 10 s).</summary>
    public static readonly TimeSpan TopologyRefreshInterval = TimeSpan.FromSeconds(10);

    private const string PingPayload = "shard-peer-health";

    private readonly TopoServer _topo;
    private readonly string _keyspace;
    private readonly string _shard;
    private readonly TabletAlias _self;
    private readonly GrpcTabletManagerClient _client;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ShardPeerHealthTracker _tracker;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _refreshLoop;
    private Task? _pingLoop;
    private Task _ping = Task.CompletedTask;
    private int _pings;

    public ShardPeerMonitor(TabletAgentOptions options, TopoServer topo, TabletAlias self, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _topo = topo ?? throw new ArgumentNullException(nameof(topo));
        _self = self ?? throw new ArgumentNullException(nameof(self));
        _keyspace = options.Keyspace;
        _shard = ShardName.Parse(options.Shard).Name;
        Interval = options.ShardTabletHealthInterval;
        _logger = logger;
        _time = time;
        _tracker = new ShardPeerHealthTracker(self);
        // Certificates were checked when the options were validated; a file that vanished since fails start-up here.
        _client = new GrpcTabletManagerClient(options.PeerClientSecurity.Apply(new TabletManagerClientOptions { DefaultTimeout = PingTimeout }));
    }

    /// <summary><c>--shard-tablet-health-interval</c>.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The bound of one Ping: twice the interval, as vttablet sets it.</summary>
    public TimeSpan PingTimeout => Interval * 2;

    /// <summary>Pings sent so far (for tests).</summary>
    public int Pings => Volatile.Read(ref _pings);

    /// <summary>The alias of the tablet pinged now; null when none is tracked.</summary>
    public string? TrackedAlias
    {
        get
        {
            lock (_gate)
            {
                return _tracker.Target?.Alias.ToText();
            }
        }
    }

    /// <summary>FullStatus field 26 as of now.</summary>
    public IReadOnlyList<ShardPeerHealth> Report()
    {
        lock (_gate)
        {
            return _tracker.Report(_time.GetUtcNow());
        }
    }

    public void Start()
    {
        _logger.PeerMonitorStarted(_self.ToText(), Interval.TotalSeconds, PingTimeout.TotalSeconds);
        _refreshLoop ??= Task.Run(RefreshLoopAsync);
        _pingLoop ??= Task.Run(PingLoopAsync);
    }

    private async Task RefreshLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await RefreshAsync().ConfigureAwait(false);
            try
            {
                await Task.Delay(TopologyRefreshInterval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads whom to track; on a failed read the current target is kept (and logged), as vttablet does.</summary>
    private async Task RefreshAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(TopologyRefreshInterval);
        Tablet? target;
        try
        {
            var shard = (await _topo.Shards.GetAsync((_keyspace, _shard), deadline.Token).ConfigureAwait(false)).Value;
            var tablets = await _topo.GetTabletsByShardAsync(_keyspace, _shard, deadline.Token).ConfigureAwait(false);
            target = ShardPeerHealthTracker.ChooseTarget(_self, shard.PrimaryAlias, tablets.Select(t => t.Value));
        }
        catch (Exception e) when (e is TopoException || (e is OperationCanceledException && !_stop.IsCancellationRequested))
        {
            _logger.PeerMonitorShardUnreadable(_self.ToText(), _keyspace, _shard, e.Message, TrackedAlias ?? "(none)");
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        string? before;
        bool changed;
        lock (_gate)
        {
            before = _tracker.Target?.Alias.ToText();
            changed = _tracker.SetTarget(target);
        }
        if (changed)
        {
            if (target is null)
            {
                _logger.PeerMonitorStoppedTracking(
                    _self.ToText(), before ?? "(none)", "the shard record names this tablet or no primary");
            }
            else
            {
                _logger.PeerMonitorTracking(_self.ToText(), target.Alias.ToText(), before is null ? "" : $" (was {before})");
            }
        }
    }

    private async Task PingLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Tablet? target;
            lock (_gate)
            {
                target = _tracker.Target;
            }
            // A tick that comes while the previous Ping still runs is dropped, never queued.
            if (target is not null && _ping.IsCompleted)
            {
                _ping = PingAsync(target);
            }
        }
    }

    private async Task PingAsync(Tablet target)
    {
        Interlocked.Increment(ref _pings);
        string? error = null;
        try
        {
            await _client.PingAsync(target, PingPayload, _stop.Token, PingTimeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = e.Message;
        }
        var at = _time.GetUtcNow();
        PeerContactChange change;
        lock (_gate)
        {
            change = _tracker.RecordPing(target.Alias, error is null, at);
        }
        switch (change)
        {
            case PeerContactChange.Reached:
                _logger.PeerPrimaryAnswers(_self.ToText(), target.Alias.ToText());
                break;
            case PeerContactChange.Lost:
                _logger.PeerPrimaryLost(_self.ToText(), target.Alias.ToText(), error);
                break;
            case PeerContactChange.Regained:
                _logger.PeerPrimaryAnswersAgain(_self.ToText(), target.Alias.ToText());
                break;
            case PeerContactChange.None:
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        // The Ping last, once the loop that starts them has ended.
        foreach (var task in new[] { _refreshLoop, _pingLoop })
        {
            await QuietlyAsync(task).ConfigureAwait(false);
        }
        await QuietlyAsync(_ping).ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
    }

    private static async Task QuietlyAsync(Task? task)
    {
        if (task is null)
        {
            return;
        }
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
