using Replicationdata;
using Topodata;
using Grpc.Core;
using Status = Replicationdata.Status;
using Vtorc.Protocol.Tablets;
using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Reparent.Operations;

/// <summary>
/// ERS step 5 (docs/operation-steps.md): StopReplicationAndGetStatus(IO thread only) on every contacted tablet at once;
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

    /// <summary>
    /// Tablets that answered "not a replica" (they act as a primary) and whose forced demotion failed: they may still
    /// accept writes, so nothing may be promoted (docs/reliability.md).
    /// </summary>
    public List<StopReplicationError> NotDemoted { get; } = [];

    /// <summary>
    /// Its SQL thread was not running before ERS or is not running now: the relay log is applied through
    /// StartReplicationUntilAfter, which starts the thread if needed and reports at once when it stops on an error.
    /// </summary>
    public bool SqlThreadStopped(string alias) =>
        _replicaStatus.TryGetValue(alias, out var s) && s.After is { } after
        && (after.SqlState != ThreadRunning || s.Before is { SqlState: not ThreadRunning });

    /// <summary>
    /// What the replica had received from its source when its IO thread stopped, and that source: the relay-log GTID
    /// set when replication is GTID-based (the source then does not matter), else the source's binary-log coordinate
    /// with the source's address. Empty when unknown.
    /// </summary>
    public (ReplicationPosition Received, string Source) ReceivedFromSource(string alias, bool gtidBased)
    {
        if (!_replicaStatus.TryGetValue(alias, out var s) || s.After is not { } after)
        {
            return (ReplicationPosition.Empty, "");
        }
        if (gtidBased)
        {
            return (ReplicationPosition.Parse(after.RelayLogPosition), "");
        }
        return ReplicationPosition.TryParse(after.RelayLogSourceBinlogEquivalentPosition, out var file, out _)
               && file!.Flavor == PositionFlavor.FilePos && after.SourceHost.Length > 0
            ? (file, $"{after.SourceHost}:{after.SourcePort}")
            : (ReplicationPosition.Empty, "");
    }

    /// <summary>
    /// Whether repointing should start replication: it was running before ERS stopped it, or ERS did not wait for
    /// the tablet's answer (its replication was never seen stopped). Vitess starts only the former; a replica left
    /// out of the round would then stay idle and, under semi-sync, could not count as an acker
    /// (docs/vitess-compatibility.md). Never the shard record's primary: it is no replica ERS saw.
    /// </summary>
    public bool ShouldStartReplication(string alias) =>
        WasReplicating(alias) || (NotAnswered.Contains(alias) && alias != _shardPrimaryAlias);

    private string? _shardPrimaryAlias;

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

    /// <summary>How long the round still waits for the shard record's primary once enough replicas answered.</summary>
    public static readonly TimeSpan ShardPrimaryGrace = TimeSpan.FromSeconds(1);

    /// <summary>Runs the round once; what was learned is kept even if it throws (cancellation, unreadable position).</summary>
    /// <param name="shardPrimaryAlias">The shard record's primary: if its agent answers with an error while its mysqld
    /// is reachable, it is force-demoted too (docs/reliability.md).</param>
    public async Task RunAsync(IReadOnlyList<(Tablet Tablet, TabletInfo Info)> contacted, bool waitForAll, string? shardPrimaryAlias,
        ITabletManagerClient tabletManager, ReparentEventLog events, CancellationToken cancellationToken)
    {
        var round = this;
        _shardPrimaryAlias = shardPrimaryAlias;
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
            pending.Add(TabletOutcomes.CaptureAsync(info.Alias, () => StopOneAsync(tabletManager, tablet, info.Alias == shardPrimaryAlias, roundCancel.Token, cancellationToken)), info);
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
            // A demoted primary is reached but is no candidate: counting it could end the round before the replica
            // that must be compared (or was requested) answered (EmergencyReparentFencingLiveTests flaked on that).
            if (round.Record(info, outcome, events) && outcome.Value?.DemotedPrimary is null)
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
            // The shard record's primary gets a moment more: if it answers "not a replica" it must be demoted before
            // anyone is promoted, and cancelling its call because the replicas happened to answer first would skip
            // that (a dead primary fails or stays silent; the grace only delays the reparent of a silent one).
            if (pending.FirstOrDefault(p => p.Value.Alias == shardPrimaryAlias).Key is { } primaryCall)
            {
                await Task.WhenAny(primaryCall, Task.Delay(ShardPrimaryGrace, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            await roundCancel.CancelAsync().ConfigureAwait(false);
            // The cancelled calls end promptly; they are observed so none is left running unseen. A forced demotion
            // already under way is not cancelled: a tablet that acts as a primary must end demoted, or be reported.
            foreach (var (task, info) in pending)
            {
                var outcome = await task.ConfigureAwait(false);
                if (outcome.Value?.DemotedPrimary is not null || outcome.Value?.DemotionError is not null
                    || (!outcome.Succeeded && MySqldKilledToFence.IsIn(outcome.ErrorText)))
                {
                    round.Record(info, outcome, events);
                    continue;
                }
                round.NotAnswered.Add(info.Alias);
                events.Emit(ReparentPhase.StopReplication, ReparentEventKind.Warning,
                    $"did not wait for {info.Alias}: enough tablets already stopped replication", info.Alias);
            }
        }
    }

    /// <param name="roundToken">Cancelled when the round has enough answers.</param>
    /// <param name="operationToken">The whole operation's: a demotion, once started, runs to its own deadline.</param>
    private static async Task<StopAnswer> StopOneAsync(ITabletManagerClient tabletManager, Tablet tablet, bool isShardPrimary,
        CancellationToken roundToken, CancellationToken operationToken)
    {
        try
        {
            var status = await tabletManager.StopReplicationAndGetStatusAsync(tablet, StopReplicationMode.Iothreadonly, roundToken)
                .ConfigureAwait(false);
            return new StopAnswer(status, null, null);
        }
        catch (RpcException e) when (TabletManagerErrors.IsNotReplicaError(e))
        {
            return await DemoteAsync(tabletManager, tablet, "answered that it is not a replica (it acts as a primary)", unreachableBlocks: true,
                operationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (isShardPrimary && !IsUnreachable(e))
        {
            // Its agent and mysqld answered, but not as a replica would: it may still be writable.
            return await DemoteAsync(tabletManager, tablet, $"is the shard record's primary and answered with an error ({e.Message})",
                unreachableBlocks: false, operationToken).ConfigureAwait(false);
        }
    }

    /// <param name="unreachableBlocks">Whether a demotion that fails because mysqld cannot be reached still blocks the
    /// promotion (a tablet that claimed to be primary a moment ago does; a server that is now down cannot take writes).</param>
    private static async Task<StopAnswer> DemoteAsync(ITabletManagerClient tabletManager, Tablet tablet, string why, bool unreachableBlocks,
        CancellationToken operationToken)
    {
        try
        {
            var primaryStatus = await tabletManager.DemotePrimaryAsync(tablet, force: true, operationToken).ConfigureAwait(false);
            return new StopAnswer(null, primaryStatus, null);
        }
        catch (RpcException demote) when (MySqldKilledToFence.IsIn(demote.Status.Detail) || MySqldKilledToFence.IsIn(demote.Message))
        {
            // Our agent killed mysqld to drop commits that were never acknowledged: fenced for certain (nothing runs to
            // take writes), and no candidate. Counted as not reached, so it blocks nothing.
            throw new ReparentOperationException($"{why}, then its agent killed mysqld to fence it: {demote.Message}", inner: demote);
        }
        catch (RpcException demote) when (!unreachableBlocks && IsUnreachable(demote))
        {
            throw new ReparentOperationException($"{why}, then could not be reached for a forced DemotePrimary: {demote.Message}", inner: demote);
        }
        catch (Exception demote) when (demote is RpcException or OperationCanceledException)
        {
            return new StopAnswer(null, null, $"{why}, then the forced DemotePrimary failed: {demote.Message}");
        }
    }

    /// <summary>The agent or its mysqld could not be reached (or did not answer in time): not an answer about its state.</summary>
    private static bool IsUnreachable(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled;

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
        if (answer.DemotionError is { } demotionError)
        {
            var error = new StopReplicationError(alias, demotionError);
            Errors.Add(error);
            NotDemoted.Add(error);
            events.Emit(ReparentPhase.StopReplication, ReparentEventKind.Failure, $"{alias} {demotionError}", alias);
            return false;
        }
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

    /// <param name="DemotionError">Set when the tablet acts as a primary and could not be demoted.</param>
    private sealed record StopAnswer(StopReplicationStatus? Stopped, PrimaryStatus? DemotedPrimary, string? DemotionError);
}
