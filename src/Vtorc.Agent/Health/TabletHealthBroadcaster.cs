using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;
using Query;
using Topodata;
using Vtorc.Agent.Disk;
using Vtorc.Agent.Manager;

namespace Vtorc.Agent.Health;

/// <summary>
/// Builds the tablet's health snapshot (docs/wire-format.md, "The health stream") and sends it to every StreamHealth
/// subscriber: at once on subscribe, whenever the type, serving state, primary term or health error changes, and every
/// <see cref="Interval"/> whatever changed, which gives a client a heartbeat to time out on.
/// </summary>
public sealed class TabletHealthBroadcaster : IAsyncDisposable
{
    /// <summary>vttablet's --stream-health-buffer-size default.</summary>
    public const int DefaultBufferSize = 20;

    private readonly TabletRecordKeeper _record;
    private readonly MySqldWatcher _mysqld;
    private readonly ReplicationHealthSampler _replication;
    private readonly DiskHealthMonitor? _disk;
    private readonly ILogger _logger;
    private readonly int _bufferSize;
    private readonly Lock _lock = new();
    private readonly List<HealthSubscription> _subscribers = [];
    private readonly BackgroundLoop _ticker;
    private StreamHealthResponse? _last;
    private bool _ended;

    public TabletHealthBroadcaster(TabletRecordKeeper record, MySqldWatcher mysqld, ReplicationHealthSampler replication, TimeSpan interval,
        ILogger logger, TimeProvider time, int bufferSize = DefaultBufferSize, DiskHealthMonitor? disk = null)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"health check interval {interval} must be positive", nameof(interval));
        }
        if (bufferSize <= 0)
        {
            throw new ArgumentException($"stream health buffer size {bufferSize} must be positive", nameof(bufferSize));
        }
        _record = record;
        _mysqld = mysqld;
        _replication = replication;
        Interval = interval;
        _logger = logger;
        _bufferSize = bufferSize;
        _ticker = BackgroundLoop.Periodic($"{record.AliasText} health broadcast", logger, interval, time, () => Broadcast(Snapshot()));
        _record.Changed += OnChanged;
        _mysqld.Changed += OnChanged;
        _replication.Changed += OnChanged;
        _disk = disk;
        if (_disk is not null)
        {
            _disk.Changed += OnChanged;
        }
    }

    public TimeSpan Interval { get; }

    /// <summary>Subscribers right now.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Start() => _ticker.Start();

    /// <summary>A new subscriber, its queue already holding the current snapshot; after shutdown, an ended one.</summary>
    public HealthSubscription Subscribe()
    {
        var subscription = new HealthSubscription(_bufferSize, Remove);
        lock (_lock)
        {
            if (_ended)
            {
                subscription.End();
                return subscription;
            }
            subscription.Offer(Snapshot());
            _subscribers.Add(subscription);
        }
        return subscription;
    }

    /// <summary>The snapshot as it would be sent now.</summary>
    public StreamHealthResponse Snapshot()
    {
        var tablet = _record.Current;
        var mysqldError = _mysqld.Error;
        var replication = _replication.Current;
        var error = mysqldError ?? replication.Error;
        var isPrimary = tablet.Type == TabletType.Primary;
        return new StreamHealthResponse
        {
            Target = new Target { Keyspace = tablet.Keyspace, Shard = tablet.Shard, TabletType = tablet.Type, Cell = tablet.Alias.Cell },
            // A stalled disk stops serving without a health error, as in vttablet (disk_health_monitor.go).
            Serving = error.Length == 0 && !(_disk?.IsStalled ?? false) && tablet.Type is TabletType.Primary or TabletType.Replica or TabletType.Rdonly,
            PrimaryTermStartTimestamp = isPrimary ? tablet.PrimaryTermStartTime?.Seconds ?? 0 : 0,
            RealtimeStats = new RealtimeStats
            {
                HealthError = error,
                ReplicationLagSeconds = isPrimary || mysqldError is not null ? 0 : replication.LagSeconds,
            },
            TabletAlias = tablet.Alias.Clone(),
            HeartbeatIntervalMs = (uint)Math.Min(uint.MaxValue, Interval.TotalMilliseconds),
        };
    }

    private void OnChanged()
    {
        var snapshot = Snapshot();
        lock (_lock)
        {
            if (_last is not null && !Differs(_last, snapshot))
            {
                return;
            }
        }
        Broadcast(snapshot);
    }

    /// <summary>What makes a snapshot worth sending before the next tick (lag alone does not).</summary>
    private static bool Differs(StreamHealthResponse a, StreamHealthResponse b) =>
        a.Target.TabletType != b.Target.TabletType || a.Serving != b.Serving || a.PrimaryTermStartTimestamp != b.PrimaryTermStartTimestamp
        || a.RealtimeStats.HealthError != b.RealtimeStats.HealthError;

    private void Broadcast(StreamHealthResponse snapshot)
    {
        List<HealthSubscription> dropped = [];
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }
            _last = snapshot;
            foreach (var subscriber in _subscribers)
            {
                if (!subscriber.Offer(snapshot))
                {
                    dropped.Add(subscriber);
                }
            }
            _subscribers.RemoveAll(dropped.Contains);
        }
        if (dropped.Count > 0)
        {
            _logger.HealthStreamClientsDropped(_record.AliasText, dropped.Count, _bufferSize);
        }
    }

    private void Remove(HealthSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }

    /// <summary>Ends every stream normally and stops the ticker.</summary>
    public async ValueTask DisposeAsync()
    {
        _record.Changed -= OnChanged;
        _mysqld.Changed -= OnChanged;
        _replication.Changed -= OnChanged;
        lock (_lock)
        {
            _ended = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.End();
            }
            _subscribers.Clear();
        }
        await _ticker.StopAsync().ConfigureAwait(false);
    }
}
