using Topodata;
using Grpc.Core;
using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Reparent.Operations;

/// <summary>
/// PlannedReparentShard (go/vt/vtctl/reparentutil/planned_reparenter.go; steps in docs/operation-steps.md) and the
/// initial election of a shard without a primary (<see cref="InitShardPrimaryAsync"/>, PRS's first case). Choices come
/// from <see cref="PrsPrimaryElector"/> and <see cref="PrsPromotionPlanner"/>; this class performs the RPCs and reports
/// every step.
/// </summary>
public sealed class PlannedReparentShard
{
    public const string ActionName = "PlannedReparentShard";
    public const string InitActionName = "InitShardPrimary";

    /// <summary>InnoDB's count of pages holding data, the PRS tie-break after position.</summary>
    public const string BufferPoolPagesVariable = "Innodb_buffer_pool_pages_data";

    private readonly TopoServer _topo;
    private readonly ITabletManagerClient _tablets;
    private readonly DurabilityPolicyRegistry _durability;
    private readonly TimeProvider _time;

    public PlannedReparentShard(TopoServer topo, ITabletManagerClient tabletManager, DurabilityPolicyRegistry durability, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(topo);
        ArgumentNullException.ThrowIfNull(tabletManager);
        ArgumentNullException.ThrowIfNull(durability);
        _topo = topo;
        _tablets = tabletManager;
        _durability = durability;
        _time = time ?? TimeProvider.System;
    }

    /// <param name="heldLock">The shard lock when the caller already holds it (VTOrc's TryLock); it stays held.</param>
    /// <exception cref="ReparentDecisionException">No tablet can be elected, or the primary-elect lacks transactions.</exception>
    /// <exception cref="ReparentOperationException">A required step failed or timed out, or the lock is held/lost.
    /// <see cref="ReparentOperationException.NewPrimary"/> is set when the promotion had already happened.</exception>
    public Task<ReparentResult> RunAsync(string keyspace, string shard, PlannedReparentOptions options, IProgress<ReparentEvent>? progress = null,
        LockHandle? heldLock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string lockAction = $"{ActionName}({options.NewPrimary ?? "<nil>"}, AvoidPrimary = {options.AvoidPrimary ?? "<nil>"})";
        return ExecuteAsync(keyspace, shard, options, ActionName, lockAction, initialOnly: false, progress, heldLock, cancellationToken);
    }

    /// <summary>
    /// Elects and initialises the first primary of a shard that has none (neither in the shard record nor a PRIMARY
    /// tablet): PRS's initial promotion, InitPrimary on the primary-elect, then every other tablet replicates from it.
    /// </summary>
    /// <param name="newPrimary">The tablet to make primary; the most advanced REPLICA when null.</param>
    public Task<ReparentResult> InitShardPrimaryAsync(string keyspace, string shard, string? newPrimary, TimeSpan waitReplicasTimeout,
        IProgress<ReparentEvent>? progress = null, LockHandle? heldLock = null, CancellationToken cancellationToken = default)
    {
        var options = new PlannedReparentOptions { NewPrimary = newPrimary, WaitReplicasTimeout = waitReplicasTimeout, AllowCrossCellPromotion = true };
        return ExecuteAsync(keyspace, shard, options, InitActionName, $"{InitActionName}({newPrimary ?? "<nil>"})", initialOnly: true, progress, heldLock,
            cancellationToken);
    }

    private async Task<ReparentResult> ExecuteAsync(string keyspace, string shard, PlannedReparentOptions options, string actionName, string lockAction,
        bool initialOnly, IProgress<ReparentEvent>? progress, LockHandle? heldLock, CancellationToken cancellationToken)
    {
        options.Validate();
        string? requested = ReparentAliases.NormalizeOptional(options.NewPrimary, "new primary");
        string? avoid = ReparentAliases.NormalizeOptional(options.AvoidPrimary, "avoid primary");
        if (requested is not null && requested == avoid)
        {
            throw new ArgumentException($"the new primary and the primary to avoid are the same tablet \"{requested}\"", nameof(options));
        }
        var events = new ReparentEventLog(progress, _time);
        try
        {
            await using var shardLock = await ShardLockScope.AcquireAsync(_topo, keyspace, shard, lockAction, heldLock, options.FailIfLocked, events,
                cancellationToken).ConfigureAwait(false);
            var run = new Run(this, keyspace, shard, options, actionName, requested, avoid, initialOnly, events, shardLock);
            return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            events.Emit(ReparentPhase.Done, ReparentEventKind.Failure, $"{actionName} {keyspace}/{shard} failed: {e.Message}");
            throw;
        }
    }

    private sealed class Run(
        PlannedReparentShard owner,
        string keyspace,
        string shard,
        PlannedReparentOptions options,
        string actionName,
        string? requested,
        string? avoid,
        bool initialOnly,
        ReparentEventLog events,
        ShardLockScope shardLock)
    {
        private readonly ITabletManagerClient _tm = owner._tablets;
        private ShardState _state = null!;

        public async Task<ReparentResult> ExecuteAsync(CancellationToken ct)
        {
            _state = await ShardState.ReadAsync(owner._topo, owner._durability, keyspace, shard, events, ct).ConfigureAwait(false);
            string? shardPrimary = _state.ShardPrimaryAlias;
            if (initialOnly)
            {
                var primaries = _state.Tablets.Where(t => t.Type == TabletType.Primary).Select(t => t.Alias.ToText()).ToArray();
                if (shardPrimary is not null || primaries.Length > 0)
                {
                    throw new ReparentOperationException(
                        $"shard {keyspace}/{shard} already has a primary ({shardPrimary ?? string.Join(", ", primaries)}); use PlannedReparentShard to move it");
                }
            }
            if (requested is not null)
            {
                _state.Require(requested, "requested new primary", keyspace, shard);
            }

            string? avoided = avoid;
            if (requested is null)
            {
                if (avoided is null && shardPrimary is not null)
                {
                    avoided = shardPrimary;
                    events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info, $"no new primary given: moving the primary away from {shardPrimary}");
                }
                else if (avoided is not null && avoided != shardPrimary)
                {
                    string message = $"{avoided} is not the primary ({shardPrimary ?? "the shard has none"}): nothing to do";
                    events.Emit(ReparentPhase.Done, ReparentEventKind.Success, message, avoided);
                    return new ReparentResult(keyspace, shard, shardPrimary ?? "", shardPrimary, events.Snapshot(), true, Task.CompletedTask);
                }
            }

            string elect = await ElectAsync(shardPrimary, avoided, ct).ConfigureAwait(false);
            var electTablet = _state.ByAlias[elect];
            var electInfo = _state.InfoByAlias[elect];

            var terms = _state.Tablets.Select(t => new PrsPrimaryTerm(ShardState.ToInfo(t),
                t.PrimaryTermStartTime is { } time ? VtTime.ToDateTimeOffset(time) : null)).ToArray();
            string? current = PrsPromotionPlanner.FindCurrentPrimary(terms);
            var path = PrsPromotionPlanner.ChoosePath(current, shardPrimary, elect);
            events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info,
                $"primary-elect {elect}; current primary {current ?? "none"}; {Describe(path)}", elect);

            bool semiSync = _state.Policy.RequiresSemiSync(electInfo);
            if (path == PrsPromotionPath.Graceful)
            {
                await RefuseDivergedElectAsync(_state.ByAlias[current!], current!, electTablet, elect, ct).ConfigureAwait(false);
            }
            string position = path switch
            {
                PrsPromotionPath.InitialPromotion => await InitialPromotionAsync(electTablet, elect, semiSync, ct).ConfigureAwait(false),
                PrsPromotionPath.PotentialPromotion => await PotentialPromotionAsync(electTablet, elect, semiSync, ct).ConfigureAwait(false),
                PrsPromotionPath.PartialPromotionRecovery => await PartialPromotionAsync(electTablet, elect, ct).ConfigureAwait(false),
                _ => await GracefulPromotionAsync(_state.ByAlias[current!], current!, electTablet, elect, semiSync, ct).ConfigureAwait(false),
            };

            await shardLock.CheckAsync("repointing the other tablets", ct).ConfigureAwait(false);
            await ReparentAllAsync(electTablet, elect, position, ct).ConfigureAwait(false);

            if (path == PrsPromotionPath.InitialPromotion)
            {
                var refresh = await TabletOutcomes.CaptureAsync(elect, () => _tm.RefreshStateAsync(electTablet, ct)).ConfigureAwait(false);
                events.Emit(ReparentPhase.Promotion, refresh.Succeeded ? ReparentEventKind.Success : ReparentEventKind.Warning,
                    refresh.Succeeded ? $"refreshed the state of {elect}" : $"could not refresh the state of {elect} (ignored): {refresh.ErrorText}", elect);
            }
            events.Emit(ReparentPhase.Done, ReparentEventKind.Success, $"{actionName} {keyspace}/{shard}: new primary {elect}", elect);
            return new ReparentResult(keyspace, shard, elect, shardPrimary, events.Snapshot(), false, Task.CompletedTask);
        }

        /// <summary>Step 2: the primary-elect.</summary>
        private async Task<string> ElectAsync(string? shardPrimary, string? avoided, CancellationToken ct)
        {
            if (requested is not null && requested == shardPrimary)
            {
                events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info, $"{requested} is already the primary in the shard record", requested);
                return requested;
            }
            var electionOptions = new PrsElectionOptions(requested, avoided, options.TolerableReplicationLag, options.AllowCrossCellPromotion);
            var preselection = PrsPrimaryElector.Preselect(_state.Infos, shardPrimary, electionOptions);
            events.Rejections(ReparentPhase.CandidateSelection, preselection.Rejected);
            if (preselection.ElectedWithoutStatus is { } only)
            {
                events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info, $"{only} is the only candidate", only);
                return only;
            }

            var reads = preselection.Candidates.Select(c => ReadCandidateAsync(c.Alias, ct)).ToArray();
            var outcomes = await Task.WhenAll(reads).ConfigureAwait(false);
            var failed = outcomes.Where(o => !o.Succeeded).ToArray();
            if (failed.Length > 0)
            {
                throw new ReparentOperationException($"cannot elect a new primary: could not read the replication status of {TabletOutcomes.Describe(failed)}");
            }
            var election = PrsPrimaryElector.Elect(preselection, outcomes.Select(o => o.Value!).ToArray(), _state.Policy, electionOptions);
            events.Rejections(ReparentPhase.CandidateSelection, election.Rejected.Skip(preselection.Rejected.Count));
            events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info, $"elected {election.PrimaryElect}", election.PrimaryElect);
            return election.PrimaryElect;
        }

        private Task<TabletOutcome<PrsCandidateStatus>> ReadCandidateAsync(string alias, CancellationToken ct)
        {
            var tablet = _state.ByAlias[alias];
            return TabletOutcomes.CaptureAsync(alias, async () =>
            {
                var pagesTask = TabletOutcomes.CaptureAsync(alias,
                    () => _tm.GetGlobalStatusVarsAsync(tablet, [BufferPoolPagesVariable], ct, options.WaitReplicasTimeout));
                var versionTask = ServerVersionReads.ReadOneAsync(_tm, _state, alias, options.WaitReplicasTimeout, events, ct);
                Replicationdata.Status? status;
                try
                {
                    status = await _tm.ReplicationStatusAsync(tablet, ct, options.WaitReplicasTimeout).ConfigureAwait(false);
                }
                catch (RpcException e) when (TabletManagerErrors.IsNotReplicaError(e))
                {
                    status = null;
                }
                var pages = await pagesTask.ConfigureAwait(false);
                var (_, server) = await versionTask.ConfigureAwait(false);
                long? bufferPoolPages = pages.Succeeded && pages.Value!.TryGetValue(BufferPoolPagesVariable, out var text)
                    && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)
                    ? n
                    : null;
                if (status is null)
                {
                    events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info, $"{alias} is not replicating (counted as an empty position)", alias);
                    return PrsCandidateStatus.NotAReplica(alias, bufferPoolPages, server);
                }
                TimeSpan? lag = status.ReplicationLagUnknown ? null : TimeSpan.FromSeconds(status.ReplicationLagSeconds);
                return new PrsCandidateStatus(alias, ReplicationPosition.Parse(status.Position), ReplicationPosition.Parse(status.RelayLogPosition), lag,
                    status.BackupRunning, bufferPoolPages, server.Version, server.DiskStalled);
            });
        }

        /// <summary>
        /// Refuses a MariaDB primary-elect that holds transactions the current primary never had
        /// (<see cref="PrsDivergenceCheck"/>), before anything is demoted. A tablet that cannot report its binlog state
        /// is not judged (the check is an addition to what Vitess does, docs/vitess-compatibility.md).
        /// </summary>
        private async Task RefuseDivergedElectAsync(Tablet current, string currentAlias, Tablet elect, string alias, CancellationToken ct)
        {
            var primaryStatus = await TabletOutcomes.CaptureAsync(currentAlias, () => _tm.FullStatusAsync(current, ct, options.WaitReplicasTimeout)).ConfigureAwait(false);
            var electStatus = await TabletOutcomes.CaptureAsync(alias, () => _tm.FullStatusAsync(elect, ct, options.WaitReplicasTimeout)).ConfigureAwait(false);
            if (!primaryStatus.Succeeded || !electStatus.Succeeded)
            {
                var failed = primaryStatus.Succeeded ? electStatus : primaryStatus;
                events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Warning,
                    $"divergence check skipped: could not read the full status of {failed.Alias}: {failed.ErrorText}", failed.Alias);
                return;
            }
            var errant = PrsDivergenceCheck.ErrantOnElect(electStatus.Value!.GtidBinlogState, primaryStatus.Value!.GtidBinlogState,
                primaryStatus.Value.ServerId);
            if (errant.Count > 0)
            {
                throw new ReparentOperationException(
                    $"primary-elect {alias} has transactions the current primary {currentAlias} never had ({string.Join(",", errant)}): promoting it would "
                    + "make them part of the shard's history; choose another tablet, or rebuild this one from the primary");
            }
        }

        /// <summary>Case 1: a fresh shard.</summary>
        private async Task<string> InitialPromotionAsync(Tablet elect, string alias, bool semiSync, CancellationToken ct)
        {
            await shardLock.CheckAsync($"initialising {alias}", ct).ConfigureAwait(false);
            events.Emit(ReparentPhase.Promotion, ReparentEventKind.Info, $"initialising {alias} as the first primary (InitPrimary, semi-sync {OnOff(semiSync)})", alias);
            string position = await Required(alias, "InitPrimary", () => _tm.InitPrimaryAsync(elect, semiSync, ct)).ConfigureAwait(false);
            events.Emit(ReparentPhase.Promotion, ReparentEventKind.Success, $"{alias} is the primary at position {Show(position)}", alias);
            return position;
        }

        /// <summary>Case 2: nobody is PRIMARY but the shard record names one: demote all, check, promote.</summary>
        private async Task<string> PotentialPromotionAsync(Tablet elect, string alias, bool semiSync, CancellationToken ct)
        {
            await shardLock.CheckAsync("demoting every tablet", ct).ConfigureAwait(false);
            events.Emit(ReparentPhase.Demotion, ReparentEventKind.Info, $"no tablet is PRIMARY: demoting all {_state.Tablets.Count} tablet(s) to compare positions");
            var demotions = _state.Tablets.Select(t => TabletOutcomes.CaptureAsync(t.Alias.ToText(), async () =>
                ReplicationPosition.Parse((await _tm.DemotePrimaryAsync(t, force: false, ct).ConfigureAwait(false)).Position)));
            var outcomes = await Task.WhenAll(demotions).ConfigureAwait(false);
            var failed = outcomes.Where(o => !o.Succeeded).ToArray();
            if (failed.Length > 0)
            {
                throw new ReparentOperationException($"could not demote every tablet: {TabletOutcomes.Describe(failed)}");
            }
            foreach (var o in outcomes)
            {
                events.Emit(ReparentPhase.Demotion, ReparentEventKind.Success, $"demoted {o.Alias} at position {Show(o.Value!.ToString())}", o.Alias);
            }
            PrsPromotionPlanner.VerifyPrimaryElectContainsAll(alias, outcomes.ToDictionary(o => o.Alias, o => o.Value!, StringComparer.Ordinal));
            await shardLock.CheckAsync($"promoting {alias}", ct).ConfigureAwait(false);
            return await PromoteAsync(elect, alias, semiSync, ct).ConfigureAwait(false);
        }

        /// <summary>Case 3: the primary-elect already is the primary; make sure it is writable.</summary>
        private async Task<string> PartialPromotionAsync(Tablet elect, string alias, CancellationToken ct)
        {
            await shardLock.CheckAsync($"setting {alias} read-write", ct).ConfigureAwait(false);
            events.Emit(ReparentPhase.Promotion, ReparentEventKind.Info, $"{alias} already is the primary: making sure it is read-write", alias);
            await Required(alias, "SetReadWrite", async () =>
            {
                await _tm.SetReadWriteAsync(elect, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            string position = await Required(alias, "PrimaryPosition", () => _tm.PrimaryPositionAsync(elect, ct)).ConfigureAwait(false);
            events.Emit(ReparentPhase.Promotion, ReparentEventKind.Success, $"{alias} is read-write at position {Show(position)}", alias);
            return position;
        }

        /// <summary>Case 4: hand over from the current primary; undo its demotion if the primary-elect cannot catch up.</summary>
        private async Task<string> GracefulPromotionAsync(Tablet current, string currentAlias, Tablet elect, string alias, bool semiSync,
            CancellationToken ct)
        {
            var currentInfo = _state.InfoByAlias[currentAlias];
            string snapshot = await Required(currentAlias, "PrimaryPosition", () => _tm.PrimaryPositionAsync(current, ct)).ConfigureAwait(false);
            events.Emit(ReparentPhase.CatchUp, ReparentEventKind.Info,
                $"{alias} catches up with the current primary {currentAlias} to position {Show(snapshot)}", alias);
            bool electSemiSync = _state.Policy.IsReplicaSemiSync(currentInfo, _state.InfoByAlias[alias]);
            try
            {
                await _tm.SetReplicationSourceAsync(elect, current.Alias, 0, snapshot, forceStartReplication: true, electSemiSync, 0, ct,
                    options.WaitReplicasTimeout).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw new ReparentOperationException($"primary-elect {alias} could not catch up with {currentAlias} before the demotion: {e.Message}", inner: e);
            }
            events.Emit(ReparentPhase.CatchUp, ReparentEventKind.Success, $"{alias} reached {Show(snapshot)}", alias);

            await shardLock.CheckAsync($"demoting {currentAlias}", ct).ConfigureAwait(false);
            events.Emit(ReparentPhase.Demotion, ReparentEventKind.Info, $"demoting {currentAlias}", currentAlias);
            string demotedAt;
            try
            {
                demotedAt = (await _tm.DemotePrimaryAsync(current, force: false, ct).ConfigureAwait(false)).Position;
                events.Emit(ReparentPhase.Demotion, ReparentEventKind.Success, $"demoted {currentAlias} at position {Show(demotedAt)}", currentAlias);
                await _tm.WaitForPositionAsync(elect, demotedAt, ct, options.WaitReplicasTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException)
            {
                events.Emit(ReparentPhase.Undo, ReparentEventKind.Warning, $"demotion or catch-up failed ({e.Message}); undoing the demotion of {currentAlias}",
                    currentAlias);
                var undo = await TabletOutcomes.CaptureAsync(currentAlias, () =>
                    _tm.UndoDemotePrimaryAsync(current, _state.Policy.RequiresSemiSync(currentInfo), CancellationToken.None)).ConfigureAwait(false);
                events.Emit(ReparentPhase.Undo, undo.Succeeded ? ReparentEventKind.Success : ReparentEventKind.Failure,
                    undo.Succeeded ? $"{currentAlias} is the primary again" : $"could not undo the demotion of {currentAlias}: {undo.ErrorText}", currentAlias);
                throw new ReparentOperationException(
                    $"primary-elect {alias} failed to catch up with the demoted primary {currentAlias}: {e.Message}" +
                    (undo.Succeeded ? $"; {currentAlias} was restored as primary" : $"; restoring {currentAlias} also failed: {undo.ErrorText}"), inner: e);
            }
            events.Emit(ReparentPhase.CatchUp, ReparentEventKind.Success, $"{alias} caught up with the demoted primary", alias);
            return await PromoteAsync(elect, alias, semiSync, ct).ConfigureAwait(false);
        }

        private async Task<string> PromoteAsync(Tablet elect, string alias, bool semiSync, CancellationToken ct)
        {
            events.Emit(ReparentPhase.Promotion, ReparentEventKind.Info, $"promoting {alias} (PromoteReplica, semi-sync {OnOff(semiSync)})", alias);
            string position = await Required(alias, "PromoteReplica", () => _tm.PromoteReplicaAsync(elect, semiSync, ct)).ConfigureAwait(false);
            events.Emit(ReparentPhase.Promotion, ReparentEventKind.Success, $"{alias} is the primary at position {Show(position)}", alias);
            return position;
        }

        /// <summary>
        /// Step 5: every other tablet replicates from the new primary and waits until it has the journal row, while
        /// the new primary writes it. A journal failure cancels the replicas. Once the journal is written the replicas
        /// get <see cref="PlannedReparentOptions.SettleReplicasTimeout"/> more; those still running are cancelled and
        /// count as failed repoints.
        /// </summary>
        private async Task ReparentAllAsync(Tablet elect, string alias, string position, CancellationToken ct)
        {
            long created = ReparentClock.UnixNanoseconds(owner._time);
            var electInfo = _state.InfoByAlias[alias];
            using var replicaCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
            replicaCancel.CancelAfter(options.WaitReplicasTimeout);
            var replicas = _state.Tablets.Where(t => t.Alias.ToText() != alias).Select(async tablet =>
            {
                string replica = tablet.Alias.ToText();
                bool semiSync = _state.Policy.IsReplicaSemiSync(electInfo, _state.InfoByAlias[replica]);
                var outcome = await TabletOutcomes.CaptureAsync(replica, () => _tm.SetReplicationSourceAsync(tablet, elect.Alias, created, "",
                    forceStartReplication: false, semiSync, 0, replicaCancel.Token, options.WaitReplicasTimeout)).ConfigureAwait(false);
                events.Emit(ReparentPhase.ReparentReplicas, outcome.Succeeded ? ReparentEventKind.Success : ReparentEventKind.Warning,
                    outcome.Succeeded ? $"repointed {replica} to {alias}" : $"could not repoint {replica} to {alias}: {outcome.ErrorText}", replica);
                return outcome;
            }).ToArray();

            var journal = await TabletOutcomes.CaptureAsync(alias, () =>
                _tm.PopulateReparentJournalAsync(elect, created, actionName, elect.Alias, position, ct)).ConfigureAwait(false);
            if (!journal.Succeeded)
            {
                await replicaCancel.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(replicas).ConfigureAwait(false);
                throw new ReparentOperationException($"{alias} was promoted but writing its reparent journal failed: {journal.ErrorText}", alias, journal.Error);
            }
            events.Emit(ReparentPhase.ReparentJournal, ReparentEventKind.Success, $"wrote the reparent journal on {alias}", alias);
            // Decided: the journal row is written, and under a semi-sync policy that needs an acknowledgement, so the
            // replicas that acknowledge are attached. What is left only settles, for a bounded time.
            var all = Task.WhenAll(replicas);
            await ReplicaSettle.BoundAsync(replicas, all, replicaCancel, options.EffectiveSettleReplicasTimeout, alias, events, owner._time)
                .ConfigureAwait(false);
            var failed = (await all.ConfigureAwait(false)).Where(o => !o.Succeeded).ToArray();
            if (failed.Length > 0)
            {
                throw new ReparentOperationException(
                    $"{alias} is the new primary but {failed.Length} tablet(s) could not be repointed ({TabletOutcomes.Describe(failed)}); retry PlannedReparentShard with the same new primary",
                    alias);
            }
        }

        private static async Task<T> Required<T>(string alias, string rpc, Func<Task<T>> call)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw new ReparentOperationException($"{rpc} on {alias} failed: {e.Message}", inner: e);
            }
        }

        private static string Describe(PrsPromotionPath path) => path switch
        {
            PrsPromotionPath.InitialPromotion => "fresh shard: initial promotion",
            PrsPromotionPath.PotentialPromotion => "the shard record names a primary but no tablet is PRIMARY: demote all, then promote",
            PrsPromotionPath.PartialPromotionRecovery => "the primary-elect is already the primary: finishing a partial promotion",
            _ => "graceful hand-over from the current primary",
        };

        private static string OnOff(bool on) => on ? "on" : "off";

        private static string Show(string position) => position.Length == 0 ? "(empty)" : position;
    }
}
