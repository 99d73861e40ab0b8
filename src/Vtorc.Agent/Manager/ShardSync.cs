using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Topo;

namespace Vtorc.Agent.Manager;

/// <summary>
/// While this tablet serves as PRIMARY, checks every <see cref="Interval"/> that it still is (docs/reliability.md,
/// "A primary fences itself"), as a Vitess tablet's shard-sync loop does (go/vt/vttablet/tabletmanager/shard_sync.go):
/// <list type="bullet">
/// <item>the shard record names another primary with a newer term (it was failed over while cut off, or while the
/// orchestrator could not reach it): fence, become a replica of the new primary;</item>
/// <item>neither the topology nor any other tablet of the shard answered for <see cref="FenceAfter"/>: fence
/// (read-only, clients killed) and stay PRIMARY in the topology. Replicas that hear nothing from a primary give up on
/// it after their net timeout, and the orchestrator then promotes one of them; the bound is shorter, so the old
/// primary is read-only before a new one is writable. If no failover happened, the orchestrator makes it writable
/// again once it reaches it (PrimaryIsReadOnly). Vitess tablets do not do this (docs/vitess-compatibility.md).</item>
/// </list>
/// The shard record is read on a topology client of its own, opened again after every failure: a connection whose
/// packets were dropped by a partition can stay stuck in TCP retransmission for many seconds after it heals.
/// </summary>
public sealed class ShardSync : IAsyncDisposable
{
    private static readonly TimeSpan PeerRefreshInterval = TimeSpan.FromSeconds(30);

    // While no peer is known, or the list changed at the last read (the others may still be registering), the list is
    // read again much sooner.
    private static readonly TimeSpan EmptyPeerRefreshInterval = TimeSpan.FromSeconds(2);

    private readonly TabletAgentOptions _options;
    private readonly TabletRecordKeeper _record;
    private readonly TabletManagerService _service;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private TopoServer? _topo;
    private IReadOnlyList<Tablet>? _peers;
    private DateTimeOffset _peersReadAt = DateTimeOffset.MinValue;
    private bool _peersChanged;
    private Task? _loop;

    public ShardSync(TabletAgentOptions options, TabletRecordKeeper record, TabletManagerService service, ILogger logger, TimeProvider time,
        TimeSpan? interval = null)
    {
        _options = options;
        _record = record;
        _service = service;
        _logger = logger;
        _time = time;
        Interval = interval ?? TimeSpan.FromMilliseconds(250);
        FenceAfter = options.IsolationFenceAfter;
        // Each look is bounded well below the isolation bound, so that several fit in it.
        LookTimeout = TimeSpan.FromMilliseconds(Math.Clamp(FenceAfter.TotalMilliseconds / 3, 200, 1000));
    }

    public TimeSpan Interval { get; }

    /// <summary>How long without any answer before an isolated primary fences itself; zero: never.</summary>
    public TimeSpan FenceAfter { get; }

    /// <summary>The deadline of one shard-record read and of one round of peer probes.</summary>
    public TimeSpan LookTimeout { get; }

    /// <summary>Times this loop fenced its server because it was cut off.</summary>
    public int IsolationFences => Volatile.Read(ref _isolationFences);

    private int _isolationFences;

    /// <summary>Times this loop demoted its tablet because the shard record named a newer primary.</summary>
    public int Demotions => Volatile.Read(ref _demotions);

    private int _demotions;

    /// <summary>Looks at the shard record that failed (while PRIMARY).</summary>
    public int TopologyFailures => Volatile.Read(ref _topologyFailures);

    private int _topologyFailures;

    /// <summary>Rounds of peer probes in which some other tablet of the shard answered.</summary>
    public int PeerAnswers => Volatile.Read(ref _peerAnswers);

    private int _peerAnswers;

    /// <summary>Other tablets of the shard as last read from the topology (the peers probed when it does not answer).</summary>
    public int KnownPeers => Volatile.Read(ref _peers)?.Count ?? 0;

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Reads the shard's other tablets once, now (the agent's start-up does it before <see cref="Start"/>); a failure is logged and read again by the loop.</summary>
    public Task ReadPeersAsync(CancellationToken cancellationToken) => RefreshPeersAsync(cancellationToken);

    private async Task RunAsync()
    {
        var lastContact = _time.GetUtcNow();
        var fenced = false;
        var failing = false;
        var failedPeerRounds = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _time, _stop.Token).ConfigureAwait(false);
                // Kept up to date whatever the type: a tablet cut off right after its promotion must know whom to probe
                // (without a list it never fences). Not while the topology is failing: the read would only wait out
                // its timeout and delay the isolation fence (chaos, durability none: fenced 6.8 s after the cut).
                if ((!failing || _peers is null or { Count: 0 })
                    && _time.GetUtcNow() - _peersReadAt >= (_peers is { Count: > 0 } && !_peersChanged ? PeerRefreshInterval : EmptyPeerRefreshInterval))
                {
                    await RefreshPeersAsync(_stop.Token).ConfigureAwait(false);
                }
                if (_record.Type != TabletType.Primary)
                {
                    lastContact = _time.GetUtcNow();
                    fenced = false;
                    failing = false;
                    failedPeerRounds = 0;
                    continue;
                }
                // Peers are probed only while the topology does not answer, at the same time as the next read.
                var read = ReadShardAsync(_stop.Token);
                var probed = failing;
                var probe = probed ? PeerProbe.AnyReachableAsync(_peers ?? [], LookTimeout, _stop.Token) : Task.FromResult(false);
                var shard = await read.ConfigureAwait(false);
                var peerAnswered = await probe.ConfigureAwait(false);
                var now = _time.GetUtcNow();
                if (shard is null)
                {
                    Interlocked.Increment(ref _topologyFailures);
                }
                if (peerAnswered)
                {
                    Interlocked.Increment(ref _peerAnswers);
                }
                else if (probed)
                {
                    failedPeerRounds++;
                }
                if (shard is null && !failing)
                {
                    _logger.TopologyUnreachable(_record.AliasText);
                }
                else if (shard is not null && failing)
                {
                    _logger.TopologyReachableAgain(_record.AliasText);
                }
                if (shard is not null || peerAnswered)
                {
                    // Logged only after a silence worth mentioning: with the topology down and peers answering, every
                    // look is a contact.
                    if (fenced || now - lastContact >= FenceAfter / 2)
                    {
                        _logger.ShardContactRestored(_record.AliasText, shard is not null ? "topology" : "a peer tablet", (now - lastContact).TotalSeconds,
                            fenced ? "; mysqld stays read-only until the orchestrator or a reparent decides" : "");
                    }
                    lastContact = now;
                    fenced = false;
                    failedPeerRounds = 0;
                }
                failing = shard is null;
                var step = ShardSyncDecision.Decide(_record.Alias, _record.Current.PrimaryTermStartTime, shard, now - lastContact, FenceAfter,
                    _peers?.Count, failedPeerRounds, fenced);
                switch (step)
                {
                    case ShardSyncStep.DemoteToShardPrimary:
                        if (!await DemoteToShardPrimaryAsync(shard!, _stop.Token).ConfigureAwait(false))
                        {
                            // Not every tick: the failure was logged and repeating it at once would only add noise.
                            await Task.Delay(TimeSpan.FromSeconds(1), _time, _stop.Token).ConfigureAwait(false);
                        }
                        break;
                    case ShardSyncStep.FenceIsolated:
                        fenced = await FenceIsolatedAsync(now - lastContact, _stop.Token).ConfigureAwait(false);
                        break;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                // The loop must survive anything: it is what fences a primary that everybody else lost.
                _logger.ShardSyncFailed(_record.AliasText, e.Message);
            }
        }
    }

    /// <summary>The shard record, or null when it could not be read within <see cref="LookTimeout"/>.</summary>
    private async Task<Shard?> ReadShardAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LookTimeout);
        try
        {
            _topo ??= TopoServer.Open(_options.Topo);
            return (await _topo.Shards.GetAsync((_options.Keyspace, ShardName.Parse(_options.Shard).Name), deadline.Token).ConfigureAwait(false)).Value;
        }
        catch (Exception e) when (e is TopoException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await DropTopoAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>A fresh client next time: this one's connection may be the one a partition silenced.</summary>
    private async Task DropTopoAsync()
    {
        if (_topo is not null)
        {
            await _topo.DisposeAsync().ConfigureAwait(false);
            _topo = null;
        }
    }

    /// <summary>Re-reads the other tablets of the shard; on failure the list read before stays (and is tried again later).</summary>
    private async Task RefreshPeersAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LookTimeout * 2);
        try
        {
            _topo ??= TopoServer.Open(_options.Topo);
            var tablets = await _topo.GetTabletsByShardAsync(_options.Keyspace, ShardName.Parse(_options.Shard).Name, deadline.Token).ConfigureAwait(false);
            var peers = tablets.Select(t => t.Value).Where(t => !StartupRole.SameAlias(t.Alias, _record.Alias)).ToList();
            // While tablets are still joining (a shard starting up), read again soon: the list settles when two reads agree.
            _peersChanged = peers.Count != _peers?.Count;
            if (_peersChanged)
            {
                _logger.ShardPeersRead(_record.AliasText, peers.Count, string.Join(", ", peers.Select(p => p.Alias.ToText())));
            }
            _peers = peers;
            _peersReadAt = _time.GetUtcNow();
        }
        catch (Exception e) when (e is TopoException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _logger.ShardPeersUnreadable(_record.AliasText, e.Message, _peers?.Count ?? 0);
            await DropTopoAsync().ConfigureAwait(false);
            _peersReadAt = _time.GetUtcNow() - PeerRefreshInterval + EmptyPeerRefreshInterval;
        }
    }

    private async Task<bool> FenceIsolatedAsync(TimeSpan silence, CancellationToken cancellationToken)
    {
        _logger.SelfFencing(
            _record.AliasText, _peers?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not yet read)", silence.TotalSeconds);
        const string Action = "IsolationFence";
        ImmediateFence fence;
        using var call = RpcCall.Start(Action, null, cancellationToken, _options.DefaultRpcTimeout, _time);
        using (await _service.LockAsync(call.Token).ConfigureAwait(false))
        {
            if (_record.Type != TabletType.Primary)
            {
                return false;
            }
            fence = await _service.FenceImmediatelyLockedAsync(call).ConfigureAwait(false);
        }
        Interlocked.Increment(ref _isolationFences);
        _logger.SelfFenced(_record.AliasText, fence);
        return true;
    }

    private async Task<bool> DemoteToShardPrimaryAsync(Shard shard, CancellationToken cancellationToken)
    {
        bool semiSync;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(LookTimeout);
            try
            {
                var keyspace = (await _topo!.Keyspaces.GetAsync(_options.Keyspace, deadline.Token).ConfigureAwait(false)).Value;
                semiSync = keyspace.DurabilityPolicy is not ("" or "none");
            }
            catch (Exception e) when (e is TopoException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _logger.NewerPrimaryKeyspaceUnreadable(_record.AliasText, _options.Keyspace, e.Message);
                return false;
            }
        }
        var done = await DemoteAsync("ShardSyncDemotion", shard.PrimaryAlias,
            $"the shard record names {shard.PrimaryAlias.ToText()} with a newer primary term", semiSync, cancellationToken).ConfigureAwait(false);
        if (done)
        {
            Interlocked.Increment(ref _demotions);
        }
        return done;
    }

    /// <summary>
    /// Fences mysqld and makes it replicate from <paramref name="newPrimary"/>; a tablet still PRIMARY in the topology
    /// becomes a REPLICA there as part of the repointing. Also run once by an agent that starts as a primary failed
    /// over while it was down. Failures are logged and reported as false.
    /// </summary>
    public async Task<bool> DemoteAsync(string action, TabletAlias newPrimary, string why, bool semiSync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newPrimary);
        _logger.DemotingForNewerPrimary(_record.AliasText, action, why, newPrimary.ToText());
        using var call = RpcCall.Start(action, null, cancellationToken, _options.DefaultRpcTimeout, _time);
        try
        {
            using var held = await _service.LockAsync(call.Token).ConfigureAwait(false);
            // Fenced like a demoted primary, its clients killed at once: another primary is in charge, so whatever
            // they wait for (a semi-sync acknowledgement, a lock) must not hold the read_only switch up for a second.
            await _service.DemoteLockedAsync(call, force: true, killClientsFirst: true).ConfigureAwait(false);
            _logger.FencedForNewerPrimary(_record.AliasText, action, newPrimary.ToText());
            await _service.SetReplicationSourceLockedAsync(call, newPrimary, timeCreatedNs: 0, forceStart: true, waitPosition: "", semiSync,
                heartbeatInterval: 0).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.DemotionForNewerPrimaryFailed(_record.AliasText, action, newPrimary.ToText(), e.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        if (_topo is not null)
        {
            await _topo.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
