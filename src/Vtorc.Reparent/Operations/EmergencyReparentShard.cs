using Topodata;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Reparent.Operations;

/// <summary>
/// EmergencyReparentShard (vtorc-behaviour §4.1): promote the most advanced reachable replica when the primary is
/// gone, under the shard lock. The choices are made by <see cref="EmergencyReparentDecider"/>; this class performs
/// the RPCs around them and reports every step through the progress callback.
/// </summary>
public sealed class EmergencyReparentShard
{
    public const string ActionName = "EmergencyReparentShard";

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
                var record = await owner._topo.Tablets.GetAsync(primaryAlias, ct).ConfigureAwait(false);
                _previousPrimary = ShardState.ToInfo(record.Value);
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
            await _round.RunAsync(contacted, options.WaitForAllTablets, _tm, events, ct).ConfigureAwait(false);

            var verdict = ErsStopReplicationCheck.Evaluate(contacted.Select(c => c.Item2).ToArray(), _round.Reached, _round.Errors,
                _state.ShardPrimaryAlias, policy);
            events.Emit(ReparentPhase.Revocation, ReparentEventKind.Info, $"continuing: {verdict.Explanation}");

            await shardLock.CheckAsync("choosing candidates", ct).ConfigureAwait(false);
            var valid = EmergencyReparentDecider.SelectValidCandidates(_round.Statuses);
            events.Rejections(ReparentPhase.CandidateSelection, valid.Rejected);

            await WaitForRelayLogsAsync(valid, ct).ConfigureAwait(false);
            IReadOnlyDictionary<string, int>? journal = valid.IsGtidBased ? await ReadJournalLengthsAsync(valid, ct).ConfigureAwait(false) : null;

            var ersOptions = new ErsOptions(requested, options.PreventCrossCellPromotion);
            var decision = EmergencyReparentDecider.Decide(valid, journal, _previousPrimary, policy, ersOptions);
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

        /// <summary>Step 9: every replica candidate applies its relay log up to what it had received.</summary>
        private async Task WaitForRelayLogsAsync(ErsValidCandidates valid, CancellationToken ct)
        {
            var waits = new List<Task<TabletOutcome<bool>>>();
            foreach (var candidate in valid.Candidates.Where(c => !c.WasPrimary))
            {
                string target = _round!.RelayLogTarget(candidate.Alias);
                if (target.Length == 0)
                {
                    continue;
                }
                var tablet = _state.ByAlias[candidate.Alias];
                waits.Add(TabletOutcomes.CaptureAsync(candidate.Alias,
                    () => _tm.WaitForPositionAsync(tablet, target, ct, options.WaitReplicasTimeout)));
            }
            if (waits.Count == 0)
            {
                return;
            }
            events.Emit(ReparentPhase.RelayLogWait, ReparentEventKind.Info, $"waiting for {waits.Count} candidate(s) to apply their relay logs");
            var outcomes = await Task.WhenAll(waits).ConfigureAwait(false);
            foreach (var o in outcomes.Where(o => o.Succeeded))
            {
                events.Emit(ReparentPhase.RelayLogWait, ReparentEventKind.Success, $"{o.Alias} applied its relay log", o.Alias);
            }
            var failed = outcomes.Where(o => !o.Succeeded).ToArray();
            if (failed.Length > 0)
            {
                throw new ReparentOperationException(
                    $"could not apply all relay logs within the wait-replicas-timeout ({options.WaitReplicasTimeout.TotalSeconds:0.###} s): {TabletOutcomes.Describe(failed)}");
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
                bool forceStart = _round?.WasReplicating(alias) ?? false;
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
            catch (Vtorc.Protocol.Grpc.RpcException e)
            {
                throw new ReparentOperationException($"new primary {newPrimary} could not catch up with the intermediate source {source}: {e.Message}", inner: e);
            }
        }

        /// <summary>Step 16: promote, write the journal, and repoint every other tablet concurrently.</summary>
        private async Task<ReparentResult> PromoteAsync(string newPrimary, CancellationToken ct)
        {
            var policy = _state.Policy;
            var primaryTablet = _state.ByAlias[newPrimary];
            var primaryInfo = _state.InfoByAlias[newPrimary];
            await shardLock.CheckAsync($"promoting {newPrimary}", ct).ConfigureAwait(false);

            var replicas = _state.Tablets.Where(t => t.Alias.ToText() != newPrimary && !ignored.Contains(t.Alias.ToText())).ToArray();
            var replicaTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            replicaTimeout.CancelAfter(options.WaitReplicasTimeout);
            var firstFollower = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var replicaCalls = replicas.Select(async tablet =>
            {
                string alias = tablet.Alias.ToText();
                bool semiSync = policy.IsReplicaSemiSync(primaryInfo, _state.InfoByAlias[alias]);
                bool forceStart = _round?.WasReplicating(alias) ?? false;
                var outcome = await TabletOutcomes.CaptureAsync(alias, () => _tm.SetReplicationSourceAsync(tablet, primaryTablet.Alias, 0, "",
                    forceStart, semiSync, 0, replicaTimeout.Token, options.WaitReplicasTimeout)).ConfigureAwait(false);
                events.Emit(ReparentPhase.ReparentReplicas, outcome.Succeeded ? ReparentEventKind.Success : ReparentEventKind.Warning,
                    outcome.Succeeded ? $"repointed {alias} to {newPrimary}" : $"could not repoint {alias} to {newPrimary}: {outcome.ErrorText}", alias);
                if (outcome.Succeeded)
                {
                    firstFollower.TrySetResult();
                }
                return outcome;
            }).ToArray();
            var allReplicas = Task.WhenAll(replicaCalls);
            var settled = allReplicas.ContinueWith(_ => replicaTimeout.Dispose(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            try
            {
                bool semiSync = policy.RequiresSemiSync(primaryInfo);
                string position;
                if (_state.Shard.PrimaryAlias is null)
                {
                    events.Emit(ReparentPhase.Promotion, ReparentEventKind.Info, $"initialising {newPrimary} as the primary of an uninitialised shard (InitPrimary, semi-sync {OnOff(semiSync)})", newPrimary);
                    position = await _tm.InitPrimaryAsync(primaryTablet, semiSync, ct).ConfigureAwait(false);
                }
                else
                {
                    events.Emit(ReparentPhase.Promotion, ReparentEventKind.Info, $"promoting {newPrimary} (PromoteReplica, semi-sync {OnOff(semiSync)})", newPrimary);
                    position = await _tm.PromoteReplicaAsync(primaryTablet, semiSync, ct).ConfigureAwait(false);
                }
                events.Emit(ReparentPhase.Promotion, ReparentEventKind.Success, $"{newPrimary} is the primary at position {position}", newPrimary);
                long now = ReparentClock.UnixNanoseconds(owner._time);
                await _tm.PopulateReparentJournalAsync(primaryTablet, now, ActionName, primaryTablet.Alias, position, ct).ConfigureAwait(false);
                events.Emit(ReparentPhase.ReparentJournal, ReparentEventKind.Success, $"wrote the reparent journal on {newPrimary}", newPrimary);
            }
            catch (Exception e) when (e is Vtorc.Protocol.Grpc.RpcException or OperationCanceledException)
            {
                await replicaTimeout.CancelAsync().ConfigureAwait(false);
                throw new ReparentOperationException($"primary-elect {newPrimary} could not be promoted: {e.Message}", inner: e);
            }

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
            events.Emit(ReparentPhase.Done, ReparentEventKind.Success, $"{ActionName} {keyspace}/{shard}: new primary {newPrimary}", newPrimary);
            return new ReparentResult(keyspace, shard, newPrimary, _state.ShardPrimaryAlias, events.Snapshot(), false, settled);
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
