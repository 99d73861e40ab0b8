using Replicationdata;
using Topodata;
using Vtorc.Protocol.Grpc;
using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Reparent.Operations;

/// <summary>
/// ERS step 5 (vtorc-behaviour §4.1): StopReplicationAndGetStatus(IO thread only) on every contacted tablet at once;
/// a tablet answering "not a replica" (errno 100) is force-demoted instead. The round ends when all but one tablet
/// (all, with WaitForAllTablets) stopped, or when every tablet answered; the calls still running are then cancelled
/// and those tablets count as not reached. Errors do not end the wait early.
/// </summary>
internal sealed class ErsStopReplicationRound
{
    /// <summary><c>replicationdata.Status.io_state/sql_state</c> value for a running thread.</summary>
    public const int ThreadRunning = 3;

    private readonly Dictionary<string, StopReplicationStatus> _replicaStatus = new(StringComparer.Ordinal);

    /// <summary>What the decisions need: one status per reached tablet.</summary>
    public List<ErsTabletStatus> Statuses { get; } = [];

    public HashSet<string> Reached { get; } = new(StringComparer.Ordinal);

    public List<StopReplicationError> Errors { get; } = [];

    /// <summary>Tablets whose answer was not waited for.</summary>
    public List<string> NotAnswered { get; } = [];

    /// <summary>Replication was running before ERS stopped it (SetReplicationSource then forces a start).</summary>
    public bool WasReplicating(string alias) =>
        _replicaStatus.TryGetValue(alias, out var s) && s.Before is { } before
        && (before.IoState == ThreadRunning || before.SqlState == ThreadRunning);

    /// <summary>The tablets whose IO thread ERS stopped: restarted if ERS fails before repointing.</summary>
    public IEnumerable<string> IoThreadStopped =>
        _replicaStatus.Where(p => p.Value.Before?.IoState == ThreadRunning).Select(p => p.Key).ToArray();

    /// <summary>The position to wait for when the replica applies its relay log; empty when it reported none.</summary>
    public string RelayLogTarget(string alias)
    {
        if (!_replicaStatus.TryGetValue(alias, out var s) || s.After is not { } after)
        {
            return "";
        }
        return after.RelayLogPosition.Length > 0 ? after.RelayLogPosition : after.RelayLogSourceBinlogEquivalentPosition;
    }

    /// <summary>Runs the round once; what was learned is kept even if it throws (cancellation, unreadable position).</summary>
    public async Task RunAsync(IReadOnlyList<(Tablet Tablet, TabletInfo Info)> contacted, bool waitForAll,
        ITabletManagerClient tabletManager, ReparentEventLog events, CancellationToken cancellationToken)
    {
        var round = this;
        int n = contacted.Count;
        if (n == 0)
        {
            return;
        }
        int required = waitForAll ? n : n - 1;
        events.Emit(ReparentPhase.StopReplication, ReparentEventKind.Info,
            $"stopping replication (IO thread) on {n} tablet(s), waiting for {(waitForAll ? "all of them" : $"{required} of them")}");

        using var roundCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Dictionary<Task<TabletOutcome<StopAnswer>>, TabletInfo>();
        foreach (var (tablet, info) in contacted)
        {
            pending.Add(TabletOutcomes.CaptureAsync(info.Alias, () => StopOneAsync(tabletManager, tablet, roundCancel.Token)), info);
        }

        int answers = 0;
        int successes = 0;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Keys).ConfigureAwait(false);
            var info = pending[done];
            pending.Remove(done);
            answers++;
            var outcome = await done.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (round.Record(info, outcome, events))
            {
                successes++;
            }
            if (answers >= 1 && successes >= required)
            {
                break;
            }
        }

        if (pending.Count > 0)
        {
            await roundCancel.CancelAsync().ConfigureAwait(false);
            foreach (var info in pending.Values)
            {
                round.NotAnswered.Add(info.Alias);
                events.Emit(ReparentPhase.StopReplication, ReparentEventKind.Warning,
                    $"did not wait for {info.Alias}: enough tablets already stopped replication", info.Alias);
            }
            // The cancelled calls end promptly; they are observed so none is left running unseen.
            await Task.WhenAll(pending.Keys).ConfigureAwait(false);
        }
    }

    private static async Task<StopAnswer> StopOneAsync(ITabletManagerClient tabletManager, Tablet tablet, CancellationToken cancellationToken)
    {
        try
        {
            var status = await tabletManager.StopReplicationAndGetStatusAsync(tablet, StopReplicationMode.Iothreadonly, cancellationToken)
                .ConfigureAwait(false);
            return new StopAnswer(status, null, null);
        }
        catch (RpcException e) when (TabletManagerErrors.IsNotReplicaError(e))
        {
            try
            {
                var primaryStatus = await tabletManager.DemotePrimaryAsync(tablet, force: true, cancellationToken).ConfigureAwait(false);
                return new StopAnswer(null, primaryStatus, e);
            }
            catch (RpcException demote)
            {
                throw new ReparentOperationException($"answered that it is not a replica, then the forced DemotePrimary failed: {demote.Message}",
                    inner: demote);
            }
        }
    }

    /// <returns>Whether the tablet counts as reached.</returns>
    private bool Record(TabletInfo info, TabletOutcome<StopAnswer> outcome, ReparentEventLog events)
    {
        string alias = info.Alias;
        if (!outcome.Succeeded)
        {
            Errors.Add(new StopReplicationError(alias, outcome.ErrorText));
            events.Emit(ReparentPhase.StopReplication, ReparentEventKind.Warning, $"could not stop replication on {alias}: {outcome.ErrorText}", alias);
            return false;
        }
        var answer = outcome.Value!;
        try
        {
            if (answer.DemotedPrimary is { } primaryStatus)
            {
                var position = ReplicationPosition.Parse(primaryStatus.Position);
                Statuses.Add(ErsTabletStatus.DemotedPrimary(info, position));
                events.Emit(ReparentPhase.StopReplication, ReparentEventKind.Success,
                    $"{alias} answered that it is not a replica (it acts as a primary); force-demoted it at position {Show(primaryStatus.Position)}", alias);
            }
            else
            {
                var status = answer.Stopped!;
                var after = status.After ?? new Status();
                var executed = ReplicationPosition.Parse(after.Position);
                var relayLog = ReplicationPosition.Parse(after.RelayLogPosition);
                ServerUuid? source = ServerUuid.TryParse(after.SourceUuid, out var uuid) ? uuid : null;
                bool backup = status.Before?.BackupRunning == true || after.BackupRunning;
                Statuses.Add(ErsTabletStatus.Replica(info, executed, relayLog, source, backup) with
                {
                    BinlogState = after.GtidBinlogState.Length == 0 ? null : MariaDbBinlogState.Parse(after.GtidBinlogState),
                    SourceServerId = after.SourceServerId,
                });
                _replicaStatus[alias] = status;
                events.Emit(ReparentPhase.StopReplication, ReparentEventKind.Success,
                    $"stopped replication on {alias} (IO thread), position {Show(after.Position)}" +
                    (after.RelayLogPosition.Length > 0 && after.RelayLogPosition != after.Position ? $", relay log {Show(after.RelayLogPosition)}" : "") +
                    (backup ? ", backup running" : ""), alias);
            }
        }
        catch (PositionParseException e)
        {
            throw new ReparentOperationException($"tablet {alias} reported a position ERS cannot read: {e.Message}", inner: e);
        }
        Reached.Add(alias);
        return true;
    }

    private static string Show(string position) => position.Length == 0 ? "(empty)" : position;

    private sealed record StopAnswer(StopReplicationStatus? Stopped, PrimaryStatus? DemotedPrimary, RpcException? NotReplica);
}
