using Replicationdata;
using Topodata;
using Vtorc.Agent.Manager;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Agent.ShardHealth;

/// <summary>
/// The shard-peer monitor's decisions (as vttablet's, go/vt/vttablet/tabletmanager/shard_health.go), without I/O or a
/// clock: whom to ping — only the primary the shard record names, and nobody when that is this tablet or no primary is
/// recorded — and, from the Ping results it is given, the consecutive failures and the last attempted and successful
/// Ping times that FullStatus reports (field 26). A change of the tracked peer starts its counts afresh. Not
/// thread-safe: <see cref="ShardPeerMonitor"/> serialises the calls.
/// </summary>
internal sealed class ShardPeerHealthTracker(TabletAlias self)
{
    private readonly TabletAlias _self = self ?? throw new ArgumentNullException(nameof(self));
    private Tablet? _target;
    private long _failures;
    private DateTimeOffset? _lastAttempted;
    private DateTimeOffset? _lastSuccessful;

    /// <summary>The tablet pinged now; null when none is tracked.</summary>
    public Tablet? Target => _target;

    /// <summary>Failed Pings of <see cref="Target"/> in a row.</summary>
    public long ConsecutiveFailures => _failures;

    /// <summary>
    /// The tablet to track: the one the shard record names primary (<paramref name="shardPrimary"/>), looked up in
    /// <paramref name="tablets"/> for its address; null when no primary is recorded, when it is this tablet, or when its
    /// record is missing. Not "the tablet whose record says PRIMARY": the orchestrator asks the replicas about the shard
    /// record's primary, and a tablet record's type lags behind during a reparent.
    /// </summary>
    public static Tablet? ChooseTarget(TabletAlias self, TabletAlias? shardPrimary, IEnumerable<Tablet> tablets)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(tablets);
        if (shardPrimary is null || (shardPrimary.Cell.Length == 0 && shardPrimary.Uid == 0) || StartupRole.SameAlias(shardPrimary, self))
        {
            return null;
        }
        return tablets.FirstOrDefault(t => StartupRole.SameAlias(t.Alias, shardPrimary));
    }

    /// <summary>Tracks <paramref name="target"/> from now on; true when that is another tablet than before (its counts start afresh).</summary>
    public bool SetTarget(Tablet? target)
    {
        bool changed = (_target is null) != (target is null) || (target is not null && !StartupRole.SameAlias(_target!.Alias, target.Alias));
        _target = target;
        if (changed)
        {
            _failures = 0;
            _lastAttempted = null;
            _lastSuccessful = null;
        }
        return changed;
    }

    /// <summary>
    /// The outcome of a Ping of <paramref name="peer"/> that ended at <paramref name="at"/> (the attempt's time, as vttablet
    /// records it). A result about a tablet no longer tracked (the target changed while the Ping ran) is ignored.
    /// </summary>
    public PeerContactChange RecordPing(TabletAlias peer, bool answered, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (_target is null || !StartupRole.SameAlias(_target.Alias, peer))
        {
            return PeerContactChange.None;
        }
        bool first = _lastAttempted is null;
        long before = _failures;
        _lastAttempted = at;
        if (answered)
        {
            _failures = 0;
            _lastSuccessful = at;
            return first ? PeerContactChange.Reached : before > 0 ? PeerContactChange.Regained : PeerContactChange.None;
        }
        _failures++;
        return before == 0 && (first || _lastSuccessful is not null) ? PeerContactChange.Lost : PeerContactChange.None;
    }

    /// <summary>
    /// FullStatus field 26: one entry for the tracked peer once it has been pinged (none before, as vttablet), with the
    /// age of the last attempt measured now on this tablet's clock.
    /// </summary>
    public IReadOnlyList<ShardPeerHealth> Report(DateTimeOffset now)
    {
        if (_target is null || _lastAttempted is not { } attempted)
        {
            return [];
        }
        var entry = new ShardPeerHealth
        {
            TabletAlias = _target.Alias.Clone(),
            ConsecutivePingFailures = _failures,
            LastAttemptedPing = VtTime.From(attempted),
            TimeSinceLastAttemptedPing = VtTime.Duration(now - attempted > TimeSpan.Zero ? now - attempted : TimeSpan.Zero),
        };
        if (_lastSuccessful is { } successful)
        {
            entry.LastSuccessfulPing = VtTime.From(successful);
        }
        return [entry];
    }
}
