using System.Collections.Concurrent;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// The UnreachablePrimary family (go/vt/vtorc/logic/topology_recovery.go, v24 era): restart replication on direct
/// replicas of the unreachable primary so they reconnect, which turns a truly dead primary into DeadPrimary sooner. A
/// tablet is restarted at most once per <see cref="RestartInterval"/>.
/// </summary>
internal abstract class RestartDirectReplicasRecovery : IRecoveryAction
{
    public static readonly TimeSpan RestartInterval = TimeSpan.FromMinutes(1);

    private readonly ITabletManagerClient _tablets;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRestart = new(StringComparer.Ordinal);

    protected RestartDirectReplicasRecovery(ITabletManagerClient tablets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        ArgumentNullException.ThrowIfNull(time);
        _tablets = tablets;
        _time = time;
    }

    public abstract RecoveryFunction Function { get; }

    public bool Acts => true;

    /// <summary>How many replicas one run restarts; null = all eligible.</summary>
    protected abstract int? Limit { get; }

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var primary = context.AnalyzedTablet;
        var durability = context.Durability;
        var now = _time.GetUtcNow();
        var direct = context.Snapshot.Tablets
            .Where(t => t.Alias != primary.Alias && IsDirectReplica(context.Snapshot, t, primary))
            .ToArray();
        var eligible = direct.Where(t => !_lastRestart.TryGetValue(t.Alias, out var at) || now - at >= RestartInterval).ToArray();
        Random.Shared.Shuffle(eligible);
        var chosen = Limit is { } limit ? eligible.Take(limit).ToArray() : eligible;
        foreach (var tablet in chosen)
        {
            _lastRestart[tablet.Alias] = now;
        }

        var timeout = context.Settings.RemoteOperationTimeout;
        var errors = new ConcurrentQueue<string>();
        await Task.WhenAll(chosen.Select(async tablet =>
        {
            try
            {
                await _tablets.StopReplicationAsync(tablet.Tablet, cancellationToken, timeout).ConfigureAwait(false);
                await _tablets.StartReplicationAsync(tablet.Tablet, durability.IsReplicaSemiSync(primary.Info, tablet.Info), cancellationToken, timeout)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors.Enqueue($"{tablet.Alias}: {e.Message}");
            }
        })).ConfigureAwait(false);

        int restarted = chosen.Length - errors.Count;
        context.AddStep($"Completed restart of {restarted}/{chosen.Length} direct replicas of {primary.Alias} "
            + $"({direct.Length} direct replicas, {direct.Length - eligible.Length} restarted within the last {RestartInterval.TotalMinutes:0} min)");
        cancellationToken.ThrowIfCancellationRequested();
        if (!errors.IsEmpty)
        {
            throw new RecoveryException($"could not restart replication on {errors.Count} replica(s): {string.Join("; ", errors)}");
        }
        return RecoveryActionResult.Done;
    }

    /// <summary>Its last poll saw it replicating from the primary's MySQL host:port.</summary>
    private static bool IsDirectReplica(ShardSnapshot snapshot, TabletRecord tablet, TabletRecord primary) =>
        snapshot.Observations.TryGetValue(tablet.Alias, out var observation)
        && observation.SourcePort == primary.MysqlPort
        && string.Equals(observation.SourceHost, primary.MysqlHostname, StringComparison.Ordinal);
}
