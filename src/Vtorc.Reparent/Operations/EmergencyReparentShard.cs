using Topodata;
using Vtorc.Replication;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Reparent.Operations;

/// <summary>
/// EmergencyReparentShard (go/vt/vtctl/reparentutil/emergency_reparenter.go; steps in docs/operation-steps.md): promote
/// the most advanced reachable replica when the primary is gone, under the shard lock. The choices are made by
/// <see cref="EmergencyReparentDecider"/>; this class performs the RPCs around them and reports every step through the
/// progress callback.
/// </summary>
public sealed class EmergencyReparentShard
{
    public const string ActionName = "EmergencyReparentShard";

    public const string PrimaryNotDemotedMessage =
        "emergency reparent refused: a tablet that acts as a primary could not be demoted and may still accept writes";

    public const string NotEnoughAckersMessage = "not enough semi-sync ackers were repointed to the primary-elect";

    private readonly TopoServer _topo;
    private readonly ITabletManagerClient _tablets;
    private readonly DurabilityPolicyRegistry _durability;
    private readonly TimeProvider _time;

    public EmergencyReparentShard(TopoServer topo, ITabletManagerClient tabletManager, DurabilityPolicyRegistry durability, TimeProvider? time = null)
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
    /// <exception cref="ReparentDecisionException">No tablet may be promoted; the reasons name each tablet.</exception>
    /// <exception cref="ReparentOperationException">A required step failed, timed out, or the lock is held/lost.</exception>
    public async Task<ReparentResult> RunAsync(string keyspace, string shard, EmergencyReparentOptions options, IProgress<ReparentEvent>? progress = null,
        LockHandle? heldLock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string? requested = ReparentAliases.NormalizeOptional(options.NewPrimary, "new primary");
        var ignored = options.IgnoreReplicas.Select(a => ReparentAliases.Normalize(a, "ignored replica")).ToHashSet(StringComparer.Ordinal);
        var events = new ReparentEventLog(progress, _time);
        try
        {
            await using var shardLock = await ShardLockScope.AcquireAsync(_topo, keyspace, shard, ActionName, heldLock, options.FailIfLocked, events,
                cancellationToken).ConfigureAwait(false);
            var run = new Run(this, keyspace, shard, options, requested, ignored, events, shardLock);
            return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            events.Emit(ReparentPhase.Done, ReparentEventKind.Failure, $"{ActionName} {keyspace}/{shard} failed: {e.Message}");
            throw;
        }
    }

    /// <summary>One execution: the state shared by the steps.</summary>
    private sealed class Run(
        EmergencyReparentShard owner,
        string keyspace,
        string shard,
        EmergencyReparentOptions options,
        string? requested,
        HashSet<string> ignored,
        ReparentEventLog events,
        ShardLockScope shardLock)
    {
        private readonly ITabletManagerClient _tm = owner._tablets;
        private ShardState _state = null!;
        private ErsStopReplicationRound? _round;
        private bool _restartOnFailure;
        private TabletInfo? _previousPrimary;

        public async Task<ReparentResult> ExecuteAsync(CancellationToken ct)
        {
            // Steps 1–4.
            _state = await ShardState.ReadAsync(owner._topo, owner._durability, keyspace, shard, events, ct).ConfigureAwait(false);
            if (_state.Shard.PrimaryAlias is { } primaryAlias)
            {
                // The record is gone when the primary's tablet was deleted (PrimaryTabletDeleted): the reparent goes on
                // without its cell and type, as for a shard that names no primary.
                var record = await owner._topo.Tablets.TryGetAsync(primaryAlias, ct).ConfigureAwait(false);
                _previousPrimary = record is null ? null : ShardState.ToInfo(record.Value);
                if (record is null)
                {
                    events.Emit(ReparentPhase.Preparation, ReparentEventKind.Info,
                        $"the previous primary {primaryAlias.ToText()} has no tablet record any more; electing without it", primaryAlias.ToText());
                }
            }
            if (requested is not null)
            {
                _state.Require(requested, "requested new primary", keyspace, shard);
                if (ignored.Contains(requested))
                {
                    throw new ReparentOperationException($"requested new primary {requested} is also in the ignored replicas");
                }
            }
            foreach (var alias in ignored.Where(a => _state.ByAlias.ContainsKey(a)))
            {
                events.Emit(ReparentPhase.Preparation, ReparentEventKind.Info, $"ignoring {alias} as requested", alias);
            }

            string newPrimary;
            try
            {
                newPrimary = await ChooseNewPrimaryAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (_restartOnFailure)
            {
                // Failing before anyone was repointed: give the replicas their replication back.
                if (_round!.IoThreadStopped.Any())
                {
                    events.Emit(ReparentPhase.RestartReplication, ReparentEventKind.Warning,
                        $"ERS failed before repointing ({OneLine(e)}); restarting the replication it stopped");
                    await RestartReplicationAsync().ConfigureAwait(false);
                }
                throw;
            }
            return await PromoteAsync(newPrimary, ct).ConfigureAwait(false);
        }

        /// <summary>Steps 5–15: everything up to the final promotion; replication is restarted if this fails before step 14.</summary>
        private async Task<string> ChooseNewPrimaryAsync(CancellationToken ct)
        {
            var policy = _state.Policy;
            var contacted = _state.Tablets.Where(t => !ignored.Contains(t.Alias.ToText()))
                .Select(t => (t, ShardState.ToInfo(t))).ToArray();
            _round = new ErsStopReplicationRound();
            _restartOnFailure = true;
            await _round.RunAsync(contacted, options.WaitForAllTablets, _state.ShardPrimaryAlias, _tm, events, ct).ConfigureAwait(false);
            if (_round.NotDemoted.Count > 0)
            {
                // Promoting now would leave two writable servers (docs/reliability.md): Vitess's ERS
                // (go/vt/vtctl/reparentutil/replication.go) may go on when only the shard primary failed; we never do.
                throw new ReparentDecisionException(PrimaryNotDemotedMessage,
                    _round.NotDemoted.Select(e => new CandidateRejection(e.Alias, e.Message)).ToArray());
            }

            var verdict = ErsStopReplicationCheck.Evaluate(contacted.Select(c => c.Item2).ToArray(), _round.Reached, _round.Errors,
                _state.ShardPrimaryAlias, policy);
            events.Emit(ReparentPhase.Revocation, ReparentEventKind.Info, $"continuing: {verdict.Explanation}");

            await shardLock.CheckAsync("choosing candidates", ct).ConfigureAwait(false);
            var valid = EmergencyReparentDecider.SelectValidCandidates(_round.Statuses);
            events.Rejections(ReparentPhase.CandidateSelection, valid.Rejected);

            // The versions only break ties between equally advanced candidates; they are read while relay logs apply.
            var versionReads = ServerVersionReads.ReadAsync(_tm, _state, valid.Candidates.Select(c => c.Alias), options.WaitReplicasTimeout, events, ct);
            valid = await ApplyRelayLogsAsync(valid, ct).ConfigureAwait(false);
            IReadOnlyDictionary<string, int>? journal = valid.IsGtidBased ? await ReadJournalLengthsAsync(valid, ct).ConfigureAwait(false) : null;
            var servers = await versionReads.ConfigureAwait(false);

            var ersOptions = new ErsOptions(requested, options.PreventCrossCellPromotion);
            var decision = EmergencyReparentDecider.Decide(valid, journal, _previousPrimary, policy, ersOptions, servers);
            events.Rejections(ReparentPhase.CandidateSelection, decision.Rejected.Skip(valid.Rejected.Count));
            events.Rejections(ReparentPhase.CandidateSelection, decision.PassedOver, "passed over");
            events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info,
                $"intermediate source {decision.IntermediateSource} (most advanced); preferred new primary {decision.PreferredPrimary}" +
                (decision.OnlyBackupRunningLeft ? " (only candidates running a backup were left)" : ""), decision.PreferredPrimary);

            // Step 14: from here on replication is not restarted on failure.
            await shardLock.CheckAsync("repointing replicas", ct).ConfigureAwait(false);
            _restartOnFailure = false;

            if (decision.IsIntermediateSourceIdeal)
            {
                return decision.PreferredPrimary;
            }
            var repointed = await RepointToIntermediateSourceAsync(decision, ct).ConfigureAwait(false);
            var choice = EmergencyReparentDecider.ChooseAfterRepointing(decision, repointed, ersOptions);
            events.Rejections(ReparentPhase.CandidateSelection,
                choice.Rejected.Skip(decision.Rejected.Count));
            events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Info, $"chose {choice.NewPrimary} as the new primary", choice.NewPrimary);
            if (choice.NeedsCatchUp)
            {
                await CatchUpAsync(choice.NewPrimary, choice.IntermediateSource, ct).ConfigureAwait(false);
            }
            return choice.NewPrimary;
        }

        /// <summary>
        /// Step 9: every replica candidate applies its relay log up to what it had received; a stopped SQL thread is
        /// started for that. A candidate that cannot is excluded when another one applied at least as much, else ERS
        /// refuses (<see cref="ErsRelayLogExclusion"/>). Without GTID-based relay logs the candidates are then compared
        /// by the positions they reached, not by those read before applying.
        /// </summary>
        private async Task<ErsValidCandidates> ApplyRelayLogsAsync(ErsValidCandidates valid, CancellationToken ct)
        {
            var applies = valid.Candidates.Where(c => !c.WasPrimary && _round!.RelayLogTarget(c.Alias).Length > 0)
                .Select(c => ApplyRelayLogAsync(c.Alias, valid.IsGtidBased, ct)).ToArray();
            if (applies.Length == 0)
            {
                return valid;
            }
            events.Emit(ReparentPhase.RelayLogWait, ReparentEventKind.Info, $"waiting for {applies.Length} candidate(s) to apply their relay logs");
            var results = await Task.WhenAll(applies).ConfigureAwait(false);
            foreach (var (replica, _) in results.Where(r => !r.Replica.Excluded))
            {
                events.Emit(ReparentPhase.RelayLogWait, ReparentEventKind.Success, $"{replica.Alias} applied its relay log", replica.Alias);
            }
            foreach (var (replica, _) in results.Where(r => r.Replica.Excluded))
            {
                events.Emit(ReparentPhase.RelayLogWait, ReparentEventKind.Warning, $"{replica.Alias} {replica.ExclusionReason}", replica.Alias);
            }
            var excluded = ErsRelayLogExclusion.Check(results.Select(r => r.Replica).ToArray());
            events.Rejections(ReparentPhase.RelayLogWait, excluded, "excluded");
            var excludedAliases = excluded.Select(r => r.Alias).ToHashSet(StringComparer.Ordinal);
            var reached = results.Where(r => r.Executed is not null).ToDictionary(r => r.Replica.Alias, r => r.Executed!, StringComparer.Ordinal);
            var candidates = valid.Candidates.Where(c => !excludedAliases.Contains(c.Alias))
                .Select(c => !valid.IsGtidBased && reached.TryGetValue(c.Alias, out var executed)
                    ? c with { Position = CandidatePosition.CombinedOnly(executed) }
                    : c)
                .ToArray();
            IReadOnlyList<CandidateRejection> rejected = [.. valid.Rejected, .. excluded];
            if (candidates.Length == 0)
            {
                throw new ReparentDecisionException(ErsValidCandidateSelector.NoValidCandidatesMessage, rejected);
            }
            return valid with { Candidates = candidates, Rejected = rejected };
        }

        /// <summary>One candidate's relay-log step; a failure becomes its exclusion reason. Executed: the position it reached (non-GTID only).</summary>
        private async Task<(ErsRelayLogReplica Replica, ReplicationPosition? Executed)> ApplyRelayLogAsync(string alias, bool gtidBased,
            CancellationToken ct)
        {
            var round = _round!;
            var tablet = _state.ByAlias[alias];
            string target = round.RelayLogTarget(alias);
            var (received, source) = round.ReceivedFromSource(alias, gtidBased);
            bool startSqlThread = round.SqlThreadStopped(alias);
            string step = startSqlThread ? "StartReplicationUntilAfter" : "WaitForPosition";
            try
            {
                if (startSqlThread)
                {
                    events.Emit(ReparentPhase.RelayLogWait, ReparentEventKind.Info,
                        $"{alias}'s SQL thread was stopped: having it apply its relay log up to {target}", alias);
                    await _tm.StartReplicationUntilAfterAsync(tablet, target, options.WaitReplicasTimeout, ct, options.WaitReplicasTimeout).ConfigureAwait(false);
                }
                else
                {
                    await _tm.WaitForPositionAsync(tablet, target, ct, options.WaitReplicasTimeout).ConfigureAwait(false);
                }
                if (gtidBased)
                {
                    return (new ErsRelayLogReplica(alias, received, source), null);
                }
                step = "ReplicationStatus";
                var status = await _tm.ReplicationStatusAsync(tablet, ct, options.WaitReplicasTimeout).ConfigureAwait(false);
                return (new ErsRelayLogReplica(alias, received, source), ReplicationPosition.Parse(status.Position));
            }
            catch (Exception e) when ((e is Grpc.Core.RpcException or OperationCanceledException or PositionParseException)
                                      && !ct.IsCancellationRequested)
            {
                bool timedOut = e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.DeadlineExceeded };
                string reason = timedOut
                    ? $"did not apply its relay log up to {target} within the wait-replicas-timeout ({options.WaitReplicasTimeout.TotalSeconds:0.###} s): {OneLine(e)}"
                    : $"could not apply its relay log up to {target} ({step} failed, not a timeout): {OneLine(e)}";
                return (new ErsRelayLogReplica(alias, received, source, reason), null);
            }
        }

        /// <summary>Step 10 input: every candidate's reparent journal length; all must answer.</summary>
        private async Task<IReadOnlyDictionary<string, int>> ReadJournalLengthsAsync(ErsValidCandidates valid, CancellationToken ct)
        {
            var reads = valid.Candidates.Select(c =>
            {
                var tablet = _state.ByAlias[c.Alias];
                return TabletOutcomes.CaptureAsync(c.Alias, () => _tm.ReadReparentJournalInfoAsync(tablet, ct, options.WaitReplicasTimeout));
            });
            var outcomes = await Task.WhenAll(reads).ConfigureAwait(false);
            var failed = outcomes.Where(o => !o.Succeeded).ToArray();
            if (failed.Length > 0)
            {
                throw new ReparentOperationException($"could not read the reparent journal of every candidate: {TabletOutcomes.Describe(failed)}");
            }
            events.Emit(ReparentPhase.ErrantGtidCheck, ReparentEventKind.Info,
                "reparent journal lengths: " + string.Join(", ", outcomes.Select(o => $"{o.Alias}={o.Value}")));
            return outcomes.ToDictionary(o => o.Alias, o => o.Value, StringComparer.Ordinal);
        }

        /// <summary>Step 15a: the final candidates replicate from the intermediate source; returns those that accepted.</summary>
        private async Task<IReadOnlyCollection<string>> RepointToIntermediateSourceAsync(ErsCandidateDecision decision, CancellationToken ct)
        {
            var source = _state.ByAlias[decision.IntermediateSource];
            var sourceInfo = _state.InfoByAlias[decision.IntermediateSource];
            events.Emit(ReparentPhase.IntermediateRepointing, ReparentEventKind.Info,
                $"intermediate source {decision.IntermediateSource} is not the preferred primary: repointing {string.Join(", ", decision.TabletsToRepoint)} to it",
                decision.IntermediateSource);
            var calls = decision.TabletsToRepoint.Select(alias =>
            {
                var tablet = _state.ByAlias[alias];
                bool semiSync = _state.Policy.IsReplicaSemiSync(sourceInfo, _state.InfoByAlias[alias]);
                bool forceStart = _round?.ShouldStartReplication(alias) ?? false;
                return TabletOutcomes.CaptureAsync(alias, () => _tm.SetReplicationSourceAsync(tablet, source.Alias, 0, "", forceStart, semiSync, 0,
                    ct, options.WaitReplicasTimeout));
            });
            var outcomes = await Task.WhenAll(calls).ConfigureAwait(false);
            foreach (var o in outcomes)
            {
                events.Emit(ReparentPhase.IntermediateRepointing, o.Succeeded ? ReparentEventKind.Success : ReparentEventKind.Warning,
                    o.Succeeded ? $"repointed {o.Alias} to {decision.IntermediateSource}" : $"could not repoint {o.Alias}: {o.ErrorText}", o.Alias);
            }
            return outcomes.Where(o => o.Succeeded).Select(o => o.Alias).ToArray();
        }

        /// <summary>Step 15c: the chosen tablet reaches the intermediate source's position.</summary>
        private async Task CatchUpAsync(string newPrimary, string source, CancellationToken ct)
        {
            try
            {
                string position = await _tm.PrimaryPositionAsync(_state.ByAlias[source], ct).ConfigureAwait(false);
                events.Emit(ReparentPhase.CatchUp, ReparentEventKind.Info, $"waiting for {newPrimary} to reach {source}'s position {position}", newPrimary);
                await _tm.WaitForPositionAsync(_state.ByAlias[newPrimary], position, ct, options.WaitReplicasTimeout).ConfigureAwait(false);
                events.Emit(ReparentPhase.CatchUp, ReparentEventKind.Success, $"{newPrimary} caught up with {source}", newPrimary);
            }
            catch (Grpc.Core.RpcException e)
            {
                throw new ReparentOperationException($"new primary {newPrimary} could not catch up with the intermediate source {source}: {e.Message}", inner: e);
            }
        }

        /// <summary>
        /// Step 16 in Vitess main's order (go/vt/vtctl/reparentutil/emergency_reparenter.go, docs/vitess-compatibility.md):
        /// every other tablet is repointed first; the promotion waits until as many of them as the durability policy
        /// needs will acknowledge semi-sync, and is abandoned before it starts if that cannot happen. The shard lock is
        /// checked again just before PromoteReplica. Replica repoints go on after the promotion for at most
        /// <see cref="EmergencyReparentOptions.SettleReplicasTimeout"/>; those still running then are cancelled before
        /// ERS returns, so none runs after the shard lock is released (docs/reliability.md).
        /// </summary>
        private async Task<ReparentResult> PromoteAsync(string newPrimary, CancellationToken ct)
        {
            var policy = _state.Policy;
            var primaryTablet = _state.ByAlias[newPrimary];
            var primaryInfo = _state.InfoByAlias[newPrimary];
            int ackersNeeded = policy.SemiSyncAckers(primaryInfo);

            var replicas = _state.Tablets.Where(t => t.Alias.ToText() != newPrimary && !ignored.Contains(t.Alias.ToText())).ToArray();
            var replicaTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            replicaTimeout.CancelAfter(options.WaitReplicasTimeout);
            var firstFollower = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var enoughAckers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int ackers = 0;
            if (ackersNeeded == 0)
            {
                enoughAckers.TrySetResult();
            }
            else
            {
                events.Emit(ReparentPhase.ReparentReplicas, ReparentEventKind.Info,
                    $"repointing replicas to {newPrimary} first: it is promoted once {ackersNeeded} semi-sync acker(s) follow it (durability policy \"{policy.Name}\")",
                    newPrimary);
            }
            var replicaCalls = replicas.Select(async tablet =>
            {
                string alias = tablet.Alias.ToText();
                bool semiSync = policy.IsReplicaSemiSync(primaryInfo, _state.InfoByAlias[alias]);
                bool forceStart = _round?.ShouldStartReplication(alias) ?? false;
                var outcome = await TabletOutcomes.CaptureAsync(alias, () => _tm.SetReplicationSourceAsync(tablet, primaryTablet.Alias, 0, "",
                    forceStart, semiSync, 0, replicaTimeout.Token, options.WaitReplicasTimeout)).ConfigureAwait(false);
                events.Emit(ReparentPhase.ReparentReplicas, outcome.Succeeded ? ReparentEventKind.Success : ReparentEventKind.Warning,
                    outcome.Succeeded ? $"repointed {alias} to {newPrimary}" : $"could not repoint {alias} to {newPrimary} (SetReplicationSource): {outcome.ErrorText}", alias);
                if (outcome.Succeeded)
                {
                    firstFollower.TrySetResult();
                    // It acknowledges only with semi-sync on and replication started (Vitess main counts the same).
                    if (semiSync && forceStart && Interlocked.Increment(ref ackers) >= ackersNeeded)
                    {
                        enoughAckers.TrySetResult();
                    }
                }
                return outcome;
            }).ToArray();
            var allReplicas = Task.WhenAll(replicaCalls);

            await Task.WhenAny(enoughAckers.Task, allReplicas).ConfigureAwait(false);
            if (!enoughAckers.Task.IsCompleted)
            {
                var outcomes = await allReplicas.ConfigureAwait(false);
                replicaTimeout.Dispose();
                var failed = outcomes.Where(o => !o.Succeeded).ToArray();
                throw new ReparentOperationException(
                    $"{NotEnoughAckersMessage}: {newPrimary} needs {ackersNeeded} under durability policy \"{policy.Name}\", {Volatile.Read(ref ackers)} would acknowledge; " +
                    $"{newPrimary} was not promoted" + (failed.Length > 0 ? $"; failed repoints: {TabletOutcomes.Describe(failed)}" : ""));
            }

            string step = "shard lock check";
            try
            {
                await shardLock.CheckAsync($"promoting {newPrimary}", ct).ConfigureAwait(false);
                bool semiSync = policy.RequiresSemiSync(primaryInfo);
                string position;
                if (_state.Shard.PrimaryAlias is null)
                {
                    step = "InitPrimary";
                    events.Emit(ReparentPhase.Promotion, ReparentEventKind.Info, $"initialising {newPrimary} as the primary of an uninitialised shard (InitPrimary, semi-sync {OnOff(semiSync)})", newPrimary);
                    position = await _tm.InitPrimaryAsync(primaryTablet, semiSync, ct).ConfigureAwait(false);
                }
                else
                {
                    step = "PromoteReplica";
                    events.Emit(ReparentPhase.Promotion, ReparentEventKind.Info, $"promoting {newPrimary} (PromoteReplica, semi-sync {OnOff(semiSync)})", newPrimary);
                    position = await _tm.PromoteReplicaAsync(primaryTablet, semiSync, ct).ConfigureAwait(false);
                }
                events.Emit(ReparentPhase.Promotion, ReparentEventKind.Success, $"{newPrimary} is the primary at position {position}", newPrimary);
                step = "PopulateReparentJournal";
                long now = ReparentClock.UnixNanoseconds(owner._time);
                await _tm.PopulateReparentJournalAsync(primaryTablet, now, ActionName, primaryTablet.Alias, position, ct).ConfigureAwait(false);
                events.Emit(ReparentPhase.ReparentJournal, ReparentEventKind.Success, $"wrote the reparent journal on {newPrimary}", newPrimary);
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or OperationCanceledException or ReparentOperationException)
            {
                // The repoints still running are stopped and awaited before the token source goes: none may land after the shard lock is released (docs/reliability.md).
                await replicaTimeout.CancelAsync().ConfigureAwait(false);
                await allReplicas.ConfigureAwait(false);
                replicaTimeout.Dispose();
                if (e is ReparentOperationException)
                {
                    throw;
                }
                throw new ReparentOperationException($"primary-elect {newPrimary} could not be promoted ({step} failed): {e.Message}", inner: e);
            }
            try
            {
                if (replicas.Length > 0)
                {
                    await Task.WhenAny(firstFollower.Task, allReplicas).ConfigureAwait(false);
                    if (!firstFollower.Task.IsCompleted)
                    {
                        var outcomes = await allReplicas.ConfigureAwait(false);
                        var failed = outcomes.Where(o => !o.Succeeded).ToArray();
                        if (ErsPromotionOutcome.Evaluate(outcomes.Length, failed.Length, _state.Tablets.Count) is { } failure)
                        {
                            throw new ReparentOperationException($"{newPrimary} was promoted but {failure}: {TabletOutcomes.Describe(failed)}", newPrimary);
                        }
                        events.Emit(ReparentPhase.ReparentReplicas, ReparentEventKind.Warning,
                            $"no replica follows {newPrimary}, accepted in a shard of {_state.Tablets.Count} tablet(s) (the failing one is taken for the dead primary)");
                    }
                }
                // Decided: promoted, journal written, enough ackers and a follower. What is left only settles.
                await ReplicaSettle.BoundAsync(replicaCalls, allReplicas, replicaTimeout, options.EffectiveSettleReplicasTimeout, newPrimary, events,
                    owner._time).ConfigureAwait(false);
            }
            finally
            {
                replicaTimeout.Dispose();
            }
            events.Emit(ReparentPhase.Done, ReparentEventKind.Success, $"{ActionName} {keyspace}/{shard}: new primary {newPrimary}", newPrimary);
            return new ReparentResult(keyspace, shard, newPrimary, _state.ShardPrimaryAlias, events.Snapshot(), false, Task.CompletedTask);
        }

        /// <summary>StartReplication on every tablet whose IO thread ERS stopped (semi-sync as for the old primary).</summary>
        private async Task RestartReplicationAsync()
        {
            var round = _round!;
            var restarts = round.IoThreadStopped.Select(alias =>
            {
                var tablet = _state.ByAlias[alias];
                bool semiSync = _state.Policy.IsReplicaSemiSync(_previousPrimary, _state.InfoByAlias[alias]);
                // A fresh token: the caller's may be what failed the operation; each call has its own deadline.
                return TabletOutcomes.CaptureAsync(alias, () => _tm.StartReplicationAsync(tablet, semiSync, CancellationToken.None));
            });
            foreach (var o in await Task.WhenAll(restarts).ConfigureAwait(false))
            {
                events.Emit(ReparentPhase.RestartReplication, o.Succeeded ? ReparentEventKind.Success : ReparentEventKind.Warning,
                    o.Succeeded ? $"restarted replication on {o.Alias}" : $"could not restart replication on {o.Alias}: {o.ErrorText}", o.Alias);
            }
        }

        private static string OnOff(bool on) => on ? "on" : "off";

        private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");
    }
}
