using Microsoft.Extensions.Logging;
using Replicationdata;
using Tabletmanagerdata;
using Status = Replicationdata.Status;
using Topodata;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.Manager;
using Grpc.Core;
using Vtorc.Protocol.Tablets;
using Vtorc.Replication;
using Vtorc.Topo;

namespace Vtorc.Agent;

/// <summary>
/// The TabletManager gRPC service (docs/wire-format.md, "TabletManager RPCs") of one tablet agent: every RPC VTOrc and
/// the reparent code call, with Vitess's semantics, on the agent's own mysqld. RPCs that change anything take the
/// action lock, so they run one at a time; status reads do not. No RPC runs SQL sent by the caller.
/// </summary>
public sealed class TabletManagerService : Tabletmanagerservice.TabletManager.TabletManagerBase
{
    /// <summary>How often a wait for the reparent journal row looks again.</summary>
    private static readonly TimeSpan JournalPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly TabletRecordKeeper _record;
    private readonly MySqlActions _mysql;
    private readonly TopoServer _topo;
    private readonly TabletAgentOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>How often a relay-log apply checks its progress and that the SQL thread still runs.</summary>
    private static readonly TimeSpan RelayLogCheckInterval = TimeSpan.FromMilliseconds(200);
    private readonly SemaphoreSlim _actionLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    public TabletManagerService(TabletRecordKeeper record, MySqlActions mysql, TopoServer topo, TabletAgentOptions options, ILogger logger,
        TimeProvider time)
    {
        _record = record;
        _mysql = mysql;
        _topo = topo;
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <summary>The agent's semi-sync monitor (null in a service built without one): fenced by DemotePrimary.</summary>
    internal SemiSyncMonitor? SemiSyncMonitor { get; set; }

    /// <summary>The agent's disk health monitor (null when --disk-write-dir is not set): FullStatus reports its stall.</summary>
    internal Disk.DiskHealthMonitor? DiskHealth { get; set; }

    /// <summary>The agent's shard-peer monitor (null without --track-shard-tablet-health): FullStatus reports what it learnt.</summary>
    internal ShardHealth.ShardPeerMonitor? ShardPeers { get; set; }

    // ---- status reads (no action lock) ----

    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context) =>
        Task.FromResult(new PingResponse { Payload = request.Payload });

    public override Task<FullStatusResponse> FullStatus(FullStatusRequest request, ServerCallContext context) =>
        RunAsync(nameof(FullStatus), context, async call =>
        {
            if (DiskHealth?.IsStalled ?? false)
            {
                // vttablet answers at once with only the flag and no MySQL data (rpc_replication.go): mysqld on a
                // stalled disk may not answer, and the orchestrator needs no more to fail the primary over.
                return new FullStatusResponse { Status = new FullStatus { DiskStalled = true } };
            }
            var status = await _mysql.FullStatusAsync(call.Token).ConfigureAwait(false);
            status.TabletType = _record.Type;
            if (ShardPeers is { } peers)
            {
                status.ShardPeerHealth.Add(peers.Report());
            }
            // Blocked only when acknowledgements are really impossible: the monitor's own heartbeat is stuck too
            // (a stale waiter that a heartbeat releases is no reason for a failover).
            status.SemiSyncBlocked = status.SemiSyncBlocked && (SemiSyncMonitor?.WritesStuck(_time.GetUtcNow()) ?? true);
            return new FullStatusResponse { Status = status };
        });

    public override Task<ReplicationStatusResponse> ReplicationStatus(ReplicationStatusRequest request, ServerCallContext context) =>
        RunAsync(nameof(ReplicationStatus), context, async call =>
        {
            var status = await _mysql.ReplicationStatusAsync(call.Token).ConfigureAwait(false) ?? throw RpcErrors.NotReplica();
            return new ReplicationStatusResponse { Status = status };
        });

    public override Task<PrimaryStatusResponse> PrimaryStatus(PrimaryStatusRequest request, ServerCallContext context) =>
        RunAsync(nameof(PrimaryStatus), context, async call =>
        {
            var status = await _mysql.PrimaryStatusAsync(call.Token).ConfigureAwait(false)
                ?? throw RpcErrors.Fail(StatusCode.FailedPrecondition, $"{call.Name}: mysqld at {_mysql.Endpoint} has binary logging off");
            return new PrimaryStatusResponse { Status = status };
        });

    public override Task<PrimaryPositionResponse> PrimaryPosition(PrimaryPositionRequest request, ServerCallContext context) =>
        RunAsync(nameof(PrimaryPosition), context, async call =>
        {
            var position = await _mysql.CurrentPositionAsync(call.Token).ConfigureAwait(false);
            return new PrimaryPositionResponse { Position = position.ToString() };
        });

    public override Task<WaitForPositionResponse> WaitForPosition(WaitForPositionRequest request, ServerCallContext context) =>
        RunAsync(nameof(WaitForPosition), context, async call =>
        {
            await WaitForPositionAsync(call, request.Position).ConfigureAwait(false);
            return new WaitForPositionResponse();
        });

    public override Task<ReadReparentJournalInfoResponse> ReadReparentJournalInfo(ReadReparentJournalInfoRequest request, ServerCallContext context) =>
        RunAsync(nameof(ReadReparentJournalInfo), context, async call =>
            new ReadReparentJournalInfoResponse { Length = await _mysql.JournalLengthAsync(call.Token).ConfigureAwait(false) });

    public override Task<GetGlobalStatusVarsResponse> GetGlobalStatusVars(GetGlobalStatusVarsRequest request, ServerCallContext context) =>
        RunAsync(nameof(GetGlobalStatusVars), context, async call =>
        {
            var values = await _mysql.GlobalStatusAsync(request.Variables, call.Token).ConfigureAwait(false);
            var response = new GetGlobalStatusVarsResponse();
            foreach (var (name, value) in values)
            {
                response.StatusValues[name] = value;
            }
            return response;
        });

    // ---- replication control ----

    public override Task<StopReplicationResponse> StopReplication(StopReplicationRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(StopReplication), context, async call =>
        {
            await _mysql.ExecuteAsync(_mysql.Flavor.StopReplication(), call.Token).ConfigureAwait(false);
            Changed(call, "replication stopped");
            return new StopReplicationResponse();
        });

    public override Task<StartReplicationResponse> StartReplication(StartReplicationRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(StartReplication), context, async call =>
        {
            await FixSemiSyncAsync(call, _record.Type, request.SemiSync).ConfigureAwait(false);
            await _mysql.ExecuteAsync(_mysql.Flavor.StartReplication(), call.Token).ConfigureAwait(false);
            Changed(call, "replication started");
            return new StartReplicationResponse();
        });

    public override Task<RestartReplicationResponse> RestartReplication(RestartReplicationRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(RestartReplication), context, async call =>
        {
            await _mysql.ExecuteAsync(_mysql.Flavor.StopReplication(), call.Token).ConfigureAwait(false);
            await FixSemiSyncAsync(call, _record.Type, request.SemiSync).ConfigureAwait(false);
            await _mysql.ExecuteAsync(_mysql.Flavor.StartReplication(), call.Token).ConfigureAwait(false);
            Changed(call, "replication restarted");
            return new RestartReplicationResponse();
        });

    public override Task<StopReplicationAndGetStatusResponse> StopReplicationAndGetStatus(StopReplicationAndGetStatusRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(StopReplicationAndGetStatus), context, beforeLock: StopOnPrimaryAsync, body: async call =>
        {
            var before = await _mysql.ReplicationStatusWithSemiSyncAsync(call.Token).ConfigureAwait(false)
                ?? throw RpcErrors.NotReplica("before status failed: ");
            var ioOnly = request.StopReplicationMode == StopReplicationMode.Iothreadonly;
            var ioRunning = before.IoState is ReplicationThreadState.Running or ReplicationThreadState.Connecting;
            var sqlRunning = before.SqlState == ReplicationThreadState.Running;
            if (!ioRunning && (ioOnly || !sqlRunning))
            {
                // Nothing to stop: the status afterwards is the status before.
                return new StopReplicationAndGetStatusResponse { Status = new StopReplicationStatus { Before = before, After = before.Clone() } };
            }
            if (ioOnly && ioRunning && !sqlRunning)
            {
                // An emergency reparent must be able to apply this relay log (docs/vitess-compatibility.md). MariaDB with
                // GTID discards the relay log on any START SLAVE once both threads are stopped, so the SQL thread is
                // started while the IO thread still runs.
                await _mysql.ExecuteAsync(_mysql.Flavor.StartSqlThread(), call.Token).ConfigureAwait(false);
                Changed(call, "stopped SQL thread started, so that the relay log can still be applied");
            }
            await _mysql.ExecuteAsync(ioOnly ? _mysql.Flavor.StopIoThread() : _mysql.Flavor.StopReplication(), call.Token).ConfigureAwait(false);
            Changed(call, ioOnly ? "replication IO thread stopped" : "replication stopped");
            var after = await _mysql.ReplicationStatusWithSemiSyncAsync(call.Token).ConfigureAwait(false)
                ?? throw RpcErrors.Fail(StatusCode.Unknown, "after status failed: " + RpcErrors.NotReplicaText);
            return new StopReplicationAndGetStatusResponse { Status = new StopReplicationStatus { Before = before, After = after } };
        });

    public override Task<SetReplicationSourceResponse> SetReplicationSource(SetReplicationSourceRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(SetReplicationSource), context, async call =>
        {
            await SetReplicationSourceLockedAsync(call, request.Parent, request.TimeCreatedNs, request.ForceStartReplication,
                request.WaitPosition, request.SemiSync, request.HeartbeatInterval).ConfigureAwait(false);
            return new SetReplicationSourceResponse();
        });

    public override Task<InitReplicaResponse> InitReplica(InitReplicaRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(InitReplica), context, async call =>
        {
            var parent = RequireParent(call, request.Parent);
            var position = ReplicationPosition.Parse(request.ReplicationPosition);
            await _mysql.ExecuteAsync(_mysql.Flavor.ResetReplication(), call.Token).ConfigureAwait(false);
            if (!position.IsEmpty)
            {
                await _mysql.SetReplicationPositionAsync(position, call.Token).ConfigureAwait(false);
            }
            Changed(call, $"replication reset, starting position {Quoted(request.ReplicationPosition)}");
            await SetReplicationSourceLockedAsync(call, parent, request.TimeCreatedNs, forceStart: true, waitPosition: "",
                request.SemiSync, heartbeatInterval: 0).ConfigureAwait(false);
            return new InitReplicaResponse();
        });

    public override Task<ResetReplicationResponse> ResetReplication(ResetReplicationRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(ResetReplication), context, async call =>
        {
            await _mysql.ExecuteAsync(_mysql.Flavor.ResetReplication(), call.Token).ConfigureAwait(false);
            Changed(call, "replication reset (source and replication position forgotten)");
            return new ResetReplicationResponse();
        });

    public override Task<ResetReplicationParametersResponse> ResetReplicationParameters(ResetReplicationParametersRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(ResetReplicationParameters), context, async call =>
        {
            await _mysql.ExecuteAsync(_mysql.Flavor.ResetReplicationParameters(), call.Token).ConfigureAwait(false);
            Changed(call, "replication source parameters reset");
            return new ResetReplicationParametersResponse();
        });

    public override Task<StopReplicationMinimumResponse> StopReplicationMinimum(StopReplicationMinimumRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(StopReplicationMinimum), context, async call =>
        {
            await WaitForPositionAsync(call, request.Position, request.WaitTimeout > 0 ? TimeSpan.FromTicks(request.WaitTimeout / 100) : null)
                .ConfigureAwait(false);
            await _mysql.ExecuteAsync(_mysql.Flavor.StopReplication(), call.Token).ConfigureAwait(false);
            Changed(call, "replication stopped");
            var position = await _mysql.CurrentPositionAsync(call.Token).ConfigureAwait(false);
            return new StopReplicationMinimumResponse { Position = position.ToString() };
        });

    /// <summary>
    /// Applies the relay log up to <c>position</c> and waits for it (bounded by <c>wait_timeout</c> and the call's
    /// deadline). Unlike vttablet, which starts both threads with an UNTIL clause, this only starts the SQL thread
    /// (when it is not running) and refuses while the IO thread runs: an emergency reparent
    /// (docs/vitess-compatibility.md) uses it on a replica whose IO thread it stopped, so the replica applies exactly
    /// what it had received, and learns at once when the applier stops on an error.
    /// </summary>
    public override Task<StartReplicationUntilAfterResponse> StartReplicationUntilAfter(StartReplicationUntilAfterRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(StartReplicationUntilAfter), context, async call =>
        {
            var status = await _mysql.ReplicationStatusAsync(call.Token).ConfigureAwait(false) ?? throw RpcErrors.NotReplica();
            if (status.IoState is ReplicationThreadState.Running or ReplicationThreadState.Connecting)
            {
                throw RpcErrors.Fail(StatusCode.FailedPrecondition,
                    $"{call.Name}: the IO thread of mysqld at {_mysql.Endpoint} is running; stop it first so that only the received relay log is applied");
            }
            if (status.SqlState != ReplicationThreadState.Running)
            {
                if (_mysql.Flavor is MariaDbReplicationFlavor && status.UsingGtid)
                {
                    throw RpcErrors.Fail(StatusCode.FailedPrecondition,
                        $"{call.Name}: both replication threads of mysqld at {_mysql.Endpoint} are stopped" +
                        (status.LastSqlError.Length > 0 ? $" (SQL thread error: {status.LastSqlError})" : "") +
                        "; MariaDB with GTID would discard the relay log on START SLAVE instead of applying it, so it is not started");
                }
                await _mysql.ExecuteAsync(_mysql.Flavor.StartSqlThread(), call.Token).ConfigureAwait(false);
                Changed(call, "SQL thread started to apply the relay log");
            }
            await ApplyRelayLogAsync(call, request.Position, request.WaitTimeout > 0 ? TimeSpan.FromTicks(request.WaitTimeout / 100) : call.Remaining)
                .ConfigureAwait(false);
            return new StartReplicationUntilAfterResponse();
        });

    /// <summary>
    /// Polls the replication status until the applied position reaches <paramref name="positionText"/>. A position
    /// wait function is not used: on MariaDB 10.11, MASTER_POS_WAIT did not return (not even at its own timeout) once
    /// the SQL thread it waited on had stopped on an error; polling also reports a stopped applier at once, with its
    /// error, instead of as a timeout.
    /// </summary>
    private async Task ApplyRelayLogAsync(RpcCall call, string positionText, TimeSpan limit)
    {
        var target = ReplicationPosition.Parse(positionText);
        var until = _time.GetUtcNow() + limit;
        ReplicationPosition? applied = null;
        try
        {
            while (true)
            {
                var status = await _mysql.ReplicationStatusAsync(call.Token).ConfigureAwait(false) ?? throw RpcErrors.NotReplica();
                applied = ReplicationPosition.Parse(target.Flavor == PositionFlavor.FilePos ? status.FilePosition : status.Position);
                if (applied.Contains(target))
                {
                    return;
                }
                if (status.SqlState != ReplicationThreadState.Running)
                {
                    throw RpcErrors.Fail(StatusCode.FailedPrecondition,
                        $"{call.Name}: mysqld at {_mysql.Endpoint} stopped applying at {Quoted(applied.ToString())}, before {Quoted(positionText)}: " +
                        (status.LastSqlError.Length > 0 ? $"the SQL thread is stopped with error: {status.LastSqlError}" : "the SQL thread is stopped"));
                }
                if (_time.GetUtcNow() + RelayLogCheckInterval >= until || call.Remaining <= RelayLogCheckInterval)
                {
                    throw TimedOut(call, positionText, applied);
                }
                await Task.Delay(RelayLogCheckInterval, _time, call.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (call.BudgetExpired && applied is not null)
        {
            // mysqld answered at least once: the budget ran out because the position was not reached, not because
            // mysqld stopped answering (a late check on a loaded machine can straddle the end of the budget).
            throw TimedOut(call, positionText, applied, e);
        }
    }

    // ---- primary control ----

    public override Task<PromoteReplicaResponse> PromoteReplica(PromoteReplicaRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(PromoteReplica), context, async call =>
        {
            await _mysql.ExecuteAsync(_mysql.Flavor.StopReplication(), call.Token).ConfigureAwait(false);
            await _mysql.ExecuteAsync(_mysql.Flavor.ResetReplicationParameters(), call.Token).ConfigureAwait(false);
            Changed(call, "replication stopped and its source forgotten");
            var position = await BecomePrimaryAsync(call, request.SemiSync, createJournal: false).ConfigureAwait(false);
            return new PromoteReplicaResponse { Position = position.ToString() };
        });

    public override Task<InitPrimaryResponse> InitPrimary(InitPrimaryRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(InitPrimary), context, async call =>
        {
            await _mysql.ExecuteAsync(_mysql.Flavor.ResetReplication(), call.Token).ConfigureAwait(false);
            Changed(call, "replication reset");
            var position = await BecomePrimaryAsync(call, request.SemiSync, createJournal: true).ConfigureAwait(false);
            return new InitPrimaryResponse { Position = position.ToString() };
        });

    /// <summary>
    /// Fences this server (docs/reliability.md, "Fencing a demoted primary"): when it returns, mysqld is confirmed
    /// read-only, no client was told "committed" for a commit that still waited for a semi-sync acknowledgement, and
    /// the primary side of semi-sync is off. The tablet type stays as it is (as in Vitess).
    /// </summary>
    public override Task<DemotePrimaryResponse> DemotePrimary(DemotePrimaryRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(DemotePrimary), context, async call =>
        {
            await DemoteLockedAsync(call, request.Force).ConfigureAwait(false);
            var status = await Step(call, "read the primary status", () => _mysql.PrimaryStatusAsync(call.Token)).ConfigureAwait(false)
                ?? throw RpcErrors.Fail(StatusCode.FailedPrecondition, $"{call.Name}: mysqld at {_mysql.Endpoint} has binary logging off");
            return new DemotePrimaryResponse { PrimaryStatus = status };
        });

    /// <summary>
    /// The fence of <see cref="DemotePrimary"/>, also run by the agent itself when it finds at start that it is a
    /// stale primary. The caller holds the action lock.
    /// </summary>
    /// <param name="silentBound">How long mysqld may stay silent before a forced fence kills it (default
    /// <see cref="SilentMySqldBound"/>).</param>
    internal async Task DemoteLockedAsync(RpcCall call, bool force, bool killClientsFirst = false, TimeSpan? silentBound = null)
    {
        if (force)
        {
            await KillIfSilentAsync(call, silentBound ?? SilentMySqldBound).ConfigureAwait(false);
        }
        var semiSync = await Step(call, "read the semi-sync state", () => _mysql.SemiSyncAsync(call.Token)).ConfigureAwait(false);
        SemiSyncMonitor?.Fence();
        if (killClientsFirst)
        {
            await KillClientsAsync(call, force).ConfigureAwait(false);
        }
        if (force)
        {
            // A waiting commit would hold read_only up for the whole lock wait before the fence got to it.
            await DropWaitingCommitsOrThrowAsync(call, force).ConfigureAwait(false);
        }
        await FenceAsync(call, force, semiSync.PrimaryEnabled).ConfigureAwait(false);
        if (semiSync.PrimaryEnabled)
        {
            // A privileged client (read_only does not stop it) may have committed since; it must not be told
            // "committed" when the primary side goes off below.
            await DropWaitingCommitsOrThrowAsync(call, force).ConfigureAwait(false);
            // A demoted primary stops waiting for acknowledgements but keeps acknowledging as a future replica.
            await Step(call, "switch semi-sync to the replica side", () => _mysql.SetSemiSyncAsync(primary: false, replica: true, call.Token))
                .ConfigureAwait(false);
            _logger.SemiSyncChanged(_record.AliasText, call.Name, "off", "on");
        }
    }

    /// <summary>
    /// Fences at once, for cases where another primary may exist or nothing can acknowledge a commit here: a primary
    /// cut off from the topology and every other tablet of its shard (<see cref="ShardSync"/>), an old primary being
    /// repointed, a failed promotion. Client connections are killed first (waiting for them is pointless; commits
    /// waiting for an acknowledgement are dropped by a crash of mysqld, see <see cref="DropWaitingCommitsAsync"/>),
    /// then read_only is set and confirmed. The tablet type and the replica side of semi-sync stay: if no failover
    /// happened, UndoDemotePrimary (VTOrc's PrimaryIsReadOnly repair) makes it writable again.
    /// </summary>
    internal async Task<ImmediateFence> FenceImmediatelyLockedAsync(RpcCall call)
    {
        SemiSyncMonitor?.Fence();
        await KillClientsAsync(call, forced: true).ConfigureAwait(false);
        if (await DropWaitingCommitsAsync(call, forced: true).ConfigureAwait(false))
        {
            return ImmediateFence.MySqldKilled;
        }
        var semiSync = await Step(call, "read the semi-sync state", () => _mysql.SemiSyncAsync(call.Token)).ConfigureAwait(false);
        await FenceAsync(call, force: true, semiSync.PrimaryEnabled).ConfigureAwait(false);
        return ImmediateFence.ReadOnly;
    }

    /// <summary>Fences the server again after a failed promotion, on a budget of its own (the call's may be spent).</summary>
    private async Task RevertPromotionAsync(RpcCall call, Exception failure)
    {
        using var revert = RpcCall.Start(call.Name + " revert", null, CancellationToken.None, TimeSpan.FromSeconds(10), _time);
        try
        {
            var fence = await FenceImmediatelyLockedAsync(revert).ConfigureAwait(false);
            _logger.PromotionFailedFencedAgain(_record.AliasText, call.Name, failure.Message, fence);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.PromotionFailedNotFenced(_record.AliasText, call.Name, failure.Message, e.Message);
        }
    }

    private async Task KillClientsAsync(RpcCall call, bool forced)
    {
        var killed = await Step(call, "kill client connections", () => _mysql.KillClientConnectionsAsync(KillScope(forced), call.Token))
            .ConfigureAwait(false);
        if (killed.Count > 0)
        {
            _logger.ClientConnectionsKilled(_record.AliasText, call.Name, killed.Count, string.Join(", ", killed));
        }
    }

    /// <summary>Which clients a fence kills: those waiting for an acknowledgement are left to <see cref="DropWaitingCommitsAsync"/> when it crashes mysqld.</summary>
    private ClientKillScope KillScope(bool forced) => CrashesForWaitingCommits(forced) ? ClientKillScope.AllButSemiSyncWaiters : ClientKillScope.All;

    /// <summary>
    /// Killing a connection whose commit waits for a semi-sync acknowledgement makes MariaDB commit it (it is in the
    /// binary log already), so the old primary keeps a transaction its shard may never get; a crash instead leaves it
    /// prepared, and crash recovery as a replica drops it. MySQL has no such recovery: there the waiters are killed.
    /// Only a forced fence crashes: in a planned reparent (not forced) the new primary first catches up with everything
    /// the demoted primary wrote, so a waiter committed by the kill reaches it too.
    /// </summary>
    private bool CrashesForWaitingCommits(bool forced) => forced && _options.WaitingCommitsFence == WaitingCommitsFence.Crash && _mysql.Server.IsMariaDb;

    /// <summary>
    /// Gets commits that wait for a semi-sync acknowledgement out of a fence's way (docs/reliability.md,
    /// "Unacknowledged commits of an old primary"): with <see cref="WaitingCommitsFence.Crash"/> on MariaDB, mysqld is
    /// killed with SIGKILL when there is one; otherwise their connections are killed. Their clients get an error
    /// either way, never "committed". Returns whether mysqld was killed (it is down: nothing can write to it).
    /// </summary>
    private async Task<bool> DropWaitingCommitsAsync(RpcCall call, bool forced)
    {
        if (CrashesForWaitingCommits(forced))
        {
            var waiters = await Step(call, "list commits waiting for a semi-sync acknowledgement", () => _mysql.SemiSyncWaitersAsync(call.Token))
                .ConfigureAwait(false);
            if (waiters.Count == 0)
            {
                return false;
            }
            try
            {
                var pidFile = await Step(call, "find mysqld's pid file", () => _mysql.PidFilePathAsync(call.Token)).ConfigureAwait(false);
                var pid = await MySqldCrash.KillAsync(pidFile, _time, call.Token).ConfigureAwait(false);
                _mysql.ForgetConnections();
                _logger.MySqldKilledToDropWaitingCommits(_record.AliasText, call.Name, pid, waiters.Count, string.Join(", ", waiters));
                return true;
            }
            catch (InvalidOperationException e)
            {
                _logger.SemiSyncWaitersNotKillable(_record.AliasText, call.Name, waiters.Count, e.Message);
            }
        }
        var killed = await Step(call, "kill commits waiting for a semi-sync acknowledgement",
            () => _mysql.KillClientConnectionsAsync(ClientKillScope.SemiSyncWaiters, call.Token)).ConfigureAwait(false);
        if (killed.Count > 0)
        {
            _logger.SemiSyncWaitersKilled(_record.AliasText, call.Name, killed.Count, string.Join(", ", killed));
        }
        return false;
    }

    /// <summary><see cref="DropWaitingCommitsAsync"/> for callers that cannot go on once mysqld was killed (they report it as their error).</summary>
    private async Task DropWaitingCommitsOrThrowAsync(RpcCall call, bool forced)
    {
        if (await DropWaitingCommitsAsync(call, forced).ConfigureAwait(false))
        {
            throw KilledToFence(call, WaitingCommitsKilled);
        }
    }

    private const string WaitingCommitsKilled = "commits waited for a semi-sync acknowledgement";

    /// <param name="dropsWaitingCommits">Whether the kill was for commits waiting for an acknowledgement (crash recovery
    /// drops them); a silent mysqld may also hold asynchronous commits that recovery keeps.</param>
    private RpcException KilledToFence(RpcCall call, string why, bool dropsWaitingCommits = true) => RpcErrors.Fail(StatusCode.Unavailable,
        $"{call.Name}: {MySqldKilledToFence.Marker}: {why}, so mysqld at {_mysql.Endpoint} was killed; it takes no writes, and once restarted "
        + (dropsWaitingCommits ? "(read-only, as a replica) it no longer has them" : "it is read-only"));

    /// <summary>
    /// How long mysqld may stay silent when this tablet is fenced before the agent kills it. An emergency reparent
    /// waits about a second for the old primary's answer (Vtorc.Reparent's ErsStopReplicationRound.ShardPrimaryGrace),
    /// and this bound plus the kill fits in it.
    /// </summary>
    internal static readonly TimeSpan SilentMySqldBound = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The same bound for the fence the agent runs at its own start, where no reparent waits for it: a mysqld that was
    /// started a moment ago on a busy machine may take longer than half a second to answer a new connection (seen in CI,
    /// where it was killed for it), and killing it there costs a restart for nothing.
    /// </summary>
    internal static readonly TimeSpan StartupSilentMySqldBound = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An emergency reparent asks every tablet to stop replication, the old primary included: that call reaching a
    /// PRIMARY whose mysqld does not answer means the shard is being failed over without it.
    /// </summary>
    private Task StopOnPrimaryAsync(RpcCall call) =>
        _record.Type == TabletType.Primary ? KillIfSilentAsync(call, SilentMySqldBound) : Task.CompletedTask;

    /// <summary>
    /// A forced fence of a mysqld that does not answer at all (stopped by SIGSTOP, hung, its host stalled) cannot set
    /// read_only, and the reparent goes on without it; when the process resumes it is writable next to the new primary
    /// (docs/reliability.md, "A frozen primary"). With <see cref="WaitingCommitsFence.Crash"/> such a mysqld is killed
    /// with SIGKILL (which ends a stopped process too), found through the pid file path read while it still answered.
    /// </summary>
    private async Task KillIfSilentAsync(RpcCall call, TimeSpan bound)
    {
        if (_options.WaitingCommitsFence != WaitingCommitsFence.Crash || _mysql.KnownPidFilePath is not { } pidFile
            || !await _mysql.StaysSilentForAsync(bound, call.Token).ConfigureAwait(false))
        {
            return;
        }
        int pid;
        try
        {
            pid = await MySqldCrash.KillAsync(pidFile, _time, call.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            _logger.MySqldNotKillable(_record.AliasText, call.Name, bound.TotalMilliseconds, e.Message);
            return;
        }
        _mysql.ForgetConnections();
        var why = $"mysqld did not answer for {bound.TotalMilliseconds:0} ms";
        _logger.MySqldKilledToFenceUnresponsive(_record.AliasText, call.Name, pid, why);
        throw KilledToFence(call, why, dropsWaitingCommits: false);
    }

    /// <summary>
    /// Switches read_only on within a bound: each attempt waits at most <see cref="ClientConnections.LockWaitSeconds"/>
    /// for commits and metadata locks in progress (on MariaDB a commit waiting for a semi-sync acknowledgement holds
    /// the switch up for as long as it waits); when an attempt runs out, every client connection is killed (their
    /// clients get an error, never an acknowledgement) and the switch is tried again. A forced demotion whose switch is
    /// still held up after that also turns the primary side of semi-sync off, right after killing the clients again.
    /// Ends with read_only read back.
    /// </summary>
    private async Task FenceAsync(RpcCall call, bool force, bool semiSyncPrimary)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await Step(call, "set read_only", () => _mysql.TrySetReadOnlyAsync(ClientConnections.LockWaitSeconds, call.Token)).ConfigureAwait(false))
            {
                break;
            }
            // Kill before looking at the deadline: a call that gives up without killing leaves the waiters (and a
            // reconnecting writer's new ones) in place for the next call, which then fails the same way.
            var killed = await Step(call, "kill client connections", () => _mysql.KillClientConnectionsAsync(KillScope(force), call.Token))
                .ConfigureAwait(false);
            _logger.ReadOnlyHeldUpClientsKilled(
                _record.AliasText, call.Name, ClientConnections.LockWaitSeconds, attempt, killed.Count, string.Join(", ", killed));
            await DropWaitingCommitsOrThrowAsync(call, force).ConfigureAwait(false);
            if (force && semiSyncPrimary && attempt >= 2)
            {
                // Every waiter's connection was just killed, so nobody is told "committed" when the waits end.
                await Step(call, "switch the primary side of semi-sync off", () => _mysql.SetSemiSyncAsync(primary: false, replica: true, call.Token))
                    .ConfigureAwait(false);
                _logger.SemiSyncPrimarySideOffForcedDemotion(_record.AliasText, call.Name);
            }
            if (call.Remaining < TimeSpan.FromSeconds(ClientConnections.LockWaitSeconds + 1))
            {
                throw RpcErrors.Fail(StatusCode.DeadlineExceeded,
                    $"{call.Name}: step \"set read_only\": still held up by commits or locks after {attempt} attempt(s) and killing client connections; the call's deadline is near");
            }
        }
        if (!await Step(call, "confirm read_only", () => _mysql.ReadOnlyAsync(call.Token)).ConfigureAwait(false))
        {
            throw RpcErrors.Fail(StatusCode.Internal, $"{call.Name}: step \"confirm read_only\": mysqld at {_mysql.Endpoint} reports read_only off after it was set");
        }
        _logger.MySqldReadOnlyConfirmed(_record.AliasText, call.Name);
    }

    /// <summary>Runs one step of a multi-step RPC; an error names the step.</summary>
    private async Task<T> Step<T>(RpcCall call, string step, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not RpcException)
        {
            var inner = RpcErrors.ToRpcException(call, e, _mysql.Endpoint);
            throw RpcErrors.Fail(inner.StatusCode, $"{call.Name}: step \"{step}\": {e.Message}", inner: e);
        }
    }

    public override Task<UndoDemotePrimaryResponse> UndoDemotePrimary(UndoDemotePrimaryRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(UndoDemotePrimary), context, async call =>
        {
            await FixSemiSyncAsync(call, TabletType.Primary, request.SemiSync).ConfigureAwait(false);
            SemiSyncMonitor?.Unfence();
            await _mysql.SetReadOnlyAsync(false, call.Token).ConfigureAwait(false);
            _logger.MySqldReadWrite(_record.AliasText, call.Name);
            // The topology may say PRIMARY while this agent serves as something else (PrimaryCurrentTypeMismatch).
            await _record.RefreshAsync(call.Token).ConfigureAwait(false);
            return new UndoDemotePrimaryResponse();
        });

    public override Task<SetReadOnlyResponse> SetReadOnly(SetReadOnlyRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(SetReadOnly), context, async call =>
        {
            await _mysql.SetReadOnlyAsync(true, call.Token).ConfigureAwait(false);
            _logger.MySqldReadOnly(_record.AliasText, call.Name);
            return new SetReadOnlyResponse();
        });

    public override Task<SetReadWriteResponse> SetReadWrite(SetReadWriteRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(SetReadWrite), context, async call =>
        {
            await _mysql.SetReadOnlyAsync(false, call.Token).ConfigureAwait(false);
            _logger.MySqldReadWrite(_record.AliasText, call.Name);
            return new SetReadWriteResponse();
        });

    public override Task<ChangeTypeResponse> ChangeType(ChangeTypeRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(ChangeType), context, async call =>
        {
            var type = request.TabletType;
            if (type is TabletType.Unknown or TabletType.Restore or TabletType.Backup
                || !Enum.IsDefined(type))
            {
                throw RpcErrors.Fail(StatusCode.InvalidArgument, $"{call.Name}: cannot change this tablet's type to {type.ToName()}");
            }
            await FixSemiSyncAsync(call, type, request.SemiSync).ConfigureAwait(false);
            if (type == TabletType.Primary)
            {
                SemiSyncMonitor?.Unfence();
            }
            await _mysql.SetReadOnlyAsync(type != TabletType.Primary, call.Token).ConfigureAwait(false);
            await _record.ChangeTypeAsync(type, $"{call.Name} RPC", call.Token).ConfigureAwait(false);
            return new ChangeTypeResponse();
        });

    public override Task<ReplicaWasPromotedResponse> ReplicaWasPromoted(ReplicaWasPromotedRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(ReplicaWasPromoted), context, async call =>
        {
            await _record.ChangeTypeAsync(TabletType.Primary, $"{call.Name} RPC", call.Token).ConfigureAwait(false);
            return new ReplicaWasPromotedResponse();
        });

    public override Task<ReplicaWasRestartedResponse> ReplicaWasRestarted(ReplicaWasRestartedRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(ReplicaWasRestarted), context, async call =>
        {
            if (_record.Type == TabletType.Primary)
            {
                await _record.ChangeTypeAsync(_options.InitialTabletType, $"{call.Name} RPC", call.Token).ConfigureAwait(false);
            }
            return new ReplicaWasRestartedResponse();
        });

    public override Task<PopulateReparentJournalResponse> PopulateReparentJournal(PopulateReparentJournalRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(PopulateReparentJournal), context, async call =>
        {
            var alias = request.PrimaryAlias is null ? "" : request.PrimaryAlias.ToText();
            await _mysql.InsertJournalRowAsync(request.TimeCreatedNs, request.ActionName, alias, request.ReplicationPosition, call.Token)
                .ConfigureAwait(false);
            Changed(call, $"reparent journal row {request.TimeCreatedNs} ({Quoted(request.ActionName)}, primary {alias}) written");
            return new PopulateReparentJournalResponse();
        });

    public override Task<RefreshStateResponse> RefreshState(RefreshStateRequest request, ServerCallContext context) =>
        RunLockedAsync(nameof(RefreshState), context, async call =>
        {
            await _record.RefreshAsync(call.Token).ConfigureAwait(false);
            return new RefreshStateResponse();
        });

    // ---- shared steps ----

    /// <summary>
    /// Repoints replication at <paramref name="parentAlias"/> (the body of SetReplicationSource, also used by
    /// InitReplica and by a starting agent that lost its primaryship). Caller holds the action lock.
    /// </summary>
    internal async Task SetReplicationSourceLockedAsync(RpcCall call, TabletAlias? parentAlias, long timeCreatedNs, bool forceStart,
        string waitPosition, bool semiSync, double heartbeatInterval)
    {
        var parentAliasValue = RequireParent(call, parentAlias);
        var parent = (await _topo.Tablets.GetAsync(parentAliasValue, call.Token).ConfigureAwait(false)).Value;
        if (string.IsNullOrEmpty(parent.MysqlHostname) || parent.MysqlPort <= 0)
        {
            throw RpcErrors.Fail(StatusCode.FailedPrecondition,
                $"{call.Name}: the Tablet record of {parentAliasValue.ToText()} has no MySQL address (mysql_hostname \"{parent.MysqlHostname}\", mysql_port {parent.MysqlPort})");
        }
        var wasPrimary = _record.Type == TabletType.Primary;
        var current = await _mysql.ReplicationStatusAsync(call.Token).ConfigureAwait(false);
        var wasReplicating = current is { IoState: ReplicationThreadState.Running or ReplicationThreadState.Connecting }
            or { SqlState: ReplicationThreadState.Running };
        // A server without replication configured, or a tablet serving as primary, is a primary being turned into
        // a replica (ERS/PRS repointing the old primary): it always replicates afterwards, as in Vitess.
        var shouldReplicate = wasReplicating || forceStart || wasPrimary || current is null;
        var newType = wasPrimary ? TabletType.Replica : _record.Type;

        // A replica is read-only whatever mysqld started with (Vitess's my.cnf starts every server read-only): a
        // freshly initialised shard must not leave its replicas writable to non-SUPER clients.
        if (wasPrimary)
        {
            // An old primary being repointed is fenced like a demoted one: commits waiting for an acknowledgement
            // would otherwise hold read_only up for ever (docs/reliability.md). Its clients are killed first: another
            // primary exists, and a first read_only attempt waiting for them left two writable servers for a second
            // (chaos, FreezeMysqld of the primary: the repointing waited for the frozen mysqld, which woke up writable).
            if (await FenceImmediatelyLockedAsync(call).ConfigureAwait(false) == ImmediateFence.MySqldKilled)
            {
                throw KilledToFence(call, WaitingCommitsKilled);
            }
        }
        else
        {
            await _mysql.SetReadOnlyAsync(true, call.Token).ConfigureAwait(false);
        }
        await FixSemiSyncAsync(call, newType, semiSync).ConfigureAwait(false);
        await _mysql.ExecuteAsync(_mysql.Flavor.StopReplication(), call.Token).ConfigureAwait(false);
        // The IO thread reads the net timeout when it connects; a mysqld restarted since the agent started has lost it.
        await _mysql.SetReplicaNetTimeoutAsync(ReplicationTimeouts.NetTimeoutSeconds, call.Token).ConfigureAwait(false);
        var source = new ReplicationSourceSettings(parent.MysqlHostname, parent.MysqlPort, _options.ReplicationUser, _options.ReplicationPassword)
        {
            HeartbeatIntervalSeconds = ReplicationTimeouts.HeartbeatFor(heartbeatInterval),
        };
        await _mysql.SetSourceAsync(source, call.Token).ConfigureAwait(false);
        Changed(call, $"replication source set to {parentAliasValue.ToText()} at {parent.MysqlHostname}:{parent.MysqlPort}");
        if (shouldReplicate)
        {
            await _mysql.ExecuteAsync(_mysql.Flavor.StartReplication(), call.Token).ConfigureAwait(false);
            Changed(call, "replication started");
        }
        if (wasPrimary)
        {
            await _record.ChangeTypeAsync(newType, $"{call.Name}: now replicating from {parentAliasValue.ToText()}", call.Token).ConfigureAwait(false);
        }
        if (!shouldReplicate)
        {
            return;
        }
        if (!string.IsNullOrEmpty(waitPosition))
        {
            await WaitForPositionAsync(call, waitPosition).ConfigureAwait(false);
        }
        else if (timeCreatedNs != 0)
        {
            await WaitForJournalRowAsync(call, timeCreatedNs).ConfigureAwait(false);
        }
    }

    /// <summary>Read-write, semi-sync as a primary, type PRIMARY with a new term; returns the position.</summary>
    private async Task<ReplicationPosition> BecomePrimaryAsync(RpcCall call, bool semiSync, bool createJournal)
    {
        if (createJournal)
        {
            // Before semi-sync: with the primary side on, this DDL would wait for ever for an acknowledgement from
            // replicas that are only attached after InitPrimary returns.
            await _mysql.CreateJournalAsync(call.Token).ConfigureAwait(false);
        }
        await FixSemiSyncAsync(call, TabletType.Primary, semiSync).ConfigureAwait(false);
        SemiSyncMonitor?.Unfence();
        await _mysql.SetReadOnlyAsync(false, call.Token).ConfigureAwait(false);
        _logger.MySqldReadWrite(_record.AliasText, call.Name);
        try
        {
            var position = await _mysql.CurrentPositionAsync(call.Token).ConfigureAwait(false);
            await _record.ChangeTypeAsync(TabletType.Primary, $"{call.Name} RPC", call.Token).ConfigureAwait(false);
            return position;
        }
        catch (Exception e)
        {
            // A promotion that did not reach the topology must not leave a writable server behind: the shard record
            // still names the old primary, which the orchestrator may make writable again (chaos: etcd killed during
            // an emergency reparent left the primary-elect writable next to the restarted old primary).
            await RevertPromotionAsync(call, e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Semi-sync for a tablet of <paramref name="type"/>: a primary enables both sides, others only the replica side.</summary>
    private async Task FixSemiSyncAsync(RpcCall call, TabletType type, bool semiSync)
    {
        var primarySide = type == TabletType.Primary && semiSync;
        if (await _mysql.SetSemiSyncAsync(primarySide, semiSync, call.Token).ConfigureAwait(false))
        {
            _logger.SemiSyncChanged(_record.AliasText, call.Name, primarySide ? "on" : "off", semiSync ? "on" : "off");
        }
    }

    private async Task WaitForPositionAsync(RpcCall call, string positionText, TimeSpan? limit = null)
    {
        var target = ReplicationPosition.Parse(positionText);
        if (target.IsEmpty)
        {
            return;
        }
        var current = await _mysql.CurrentPositionAsync(call.Token).ConfigureAwait(false);
        if (current.Contains(target))
        {
            return;
        }
        // The server-side wait ends a little before the call's budget, so that its "timed out" answer (and the
        // position reached so far) still gets back to the caller.
        var remaining = call.Remaining;
        var slack = TimeSpan.FromMilliseconds(Math.Clamp(remaining.TotalMilliseconds / 5, 100, 1000));
        var timeout = remaining - slack;
        if (limit is { } l && l < timeout)
        {
            timeout = l;
        }
        if (timeout < TimeSpan.FromMilliseconds(1))
        {
            throw TimedOut(call, positionText, current);
        }
        PositionWaitOutcome outcome;
        try
        {
            outcome = await _mysql.WaitForPositionAsync(target, timeout, call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (call.BudgetExpired)
        {
            throw RpcErrors.Fail(StatusCode.DeadlineExceeded,
                $"{call.Name}: timed out waiting for position {Quoted(positionText)} (mysqld at {_mysql.Endpoint} was at {Quoted(current.ToString())} before the wait)",
                inner: e);
        }
        switch (outcome)
        {
            case PositionWaitOutcome.Reached:
                return;
            case PositionWaitOutcome.TimedOut:
                throw TimedOut(call, positionText, await PositionAtTimeoutAsync(call, current).ConfigureAwait(false));
            default:
                throw RpcErrors.Fail(StatusCode.FailedPrecondition,
                    $"{call.Name}: mysqld at {_mysql.Endpoint} cannot wait for position {Quoted(positionText)}: " +
                    await DescribeSqlThreadAsync(call).ConfigureAwait(false));
        }
    }

    /// <summary>Why a position wait was refused at once: the server names no reason, the replication status does.</summary>
    private async Task<string> DescribeSqlThreadAsync(RpcCall call)
    {
        var status = await _mysql.ReplicationStatusAsync(call.Token).ConfigureAwait(false);
        if (status is null)
        {
            return "replication is not configured";
        }
        if (status.SqlState == ReplicationThreadState.Running)
        {
            return "the SQL thread is running, yet the server refused to wait";
        }
        return status.LastSqlError.Length > 0
            ? $"the SQL thread is stopped with error: {status.LastSqlError}"
            : "the SQL thread is stopped";
    }

    private RpcException TimedOut(RpcCall call, string position, ReplicationPosition current, Exception? inner = null) =>
        RpcErrors.Fail(StatusCode.DeadlineExceeded,
            $"{call.Name}: timed out waiting for position {Quoted(position)} (mysqld at {_mysql.Endpoint} is at {Quoted(current.ToString())})",
            inner);

    /// <summary>
    /// The position to report after a wait timed out: read again when the budget allows, else the one read before the
    /// wait (the timeout is the answer either way; it must not turn into "mysqld did not answer").
    /// </summary>
    private async Task<ReplicationPosition> PositionAtTimeoutAsync(RpcCall call, ReplicationPosition before)
    {
        try
        {
            return await _mysql.CurrentPositionAsync(call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.BudgetExpired)
        {
            return before;
        }
    }

    private async Task WaitForJournalRowAsync(RpcCall call, long timeCreatedNs)
    {
        var checkedOnce = false;
        try
        {
            while (!await _mysql.JournalRowExistsAsync(timeCreatedNs, call.Token).ConfigureAwait(false))
            {
                checkedOnce = true;
                if (call.Remaining <= JournalPollInterval)
                {
                    throw JournalRowMissing(call, timeCreatedNs);
                }
                await Task.Delay(JournalPollInterval, _time, call.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (call.BudgetExpired && checkedOnce)
        {
            // mysqld answered: the row is what did not come. A check or pause that straddles the end of the budget on a
            // loaded machine must not be reported as an unresponsive mysqld.
            throw JournalRowMissing(call, timeCreatedNs, e);
        }
    }

    private static RpcException JournalRowMissing(RpcCall call, long timeCreatedNs, Exception? inner = null) =>
        RpcErrors.Fail(StatusCode.DeadlineExceeded,
            $"{call.Name}: the reparent journal row with time_created_ns {timeCreatedNs} did not arrive before the deadline", inner);

    private static TabletAlias RequireParent(RpcCall call, TabletAlias? parent) =>
        parent is { Cell.Length: > 0 }
            ? parent
            : throw RpcErrors.Fail(StatusCode.InvalidArgument, $"{call.Name}: no parent tablet alias given");

    private void Changed(RpcCall call, string what) =>
        _logger.ReplicationChanged(_record.AliasText, call.Name, what);

    private static string Quoted(string text) => $"\"{text}\"";

    private Task<T> RunAsync<T>(string name, ServerCallContext context, Func<RpcCall, Task<T>> body) =>
        RunCoreAsync(name, context, body, locked: false);

    /// <param name="beforeLock">Runs before the action lock is taken: an action stuck on mysqld may hold it.</param>
    private Task<T> RunLockedAsync<T>(string name, ServerCallContext context, Func<RpcCall, Task<T>> body, Func<RpcCall, Task>? beforeLock = null) =>
        RunCoreAsync(name, context, body, locked: true, beforeLock);

    private async Task<T> RunCoreAsync<T>(string name, ServerCallContext context, Func<RpcCall, Task<T>> body, bool locked, Func<RpcCall, Task>? beforeLock = null)
    {
        // Calls end when the agent stops, not when Kestrel's graceful shutdown gives up on them.
        using var callerOrStop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping.Token);
        using var call = RpcCall.Start(name, RpcCall.DeadlineOf(context), callerOrStop.Token, _options.DefaultRpcTimeout, _time);
        var holdsLock = false;
        try
        {
            if (beforeLock is not null)
            {
                await beforeLock(call).ConfigureAwait(false);
            }
            if (locked)
            {
                await _actionLock.WaitAsync(call.Token).ConfigureAwait(false);
                holdsLock = true;
            }
            return await body(call).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (locked && !holdsLock && call.BudgetExpired)
        {
            throw RpcErrors.Fail(StatusCode.DeadlineExceeded, $"{name}: another action on this tablet did not finish before the call's deadline", inner: e);
        }
        catch (OperationCanceledException e) when (!call.BudgetExpired && _stopping.IsCancellationRequested)
        {
            throw RpcErrors.Fail(StatusCode.Unavailable, $"{name}: the tablet agent is shutting down", e);
        }
        catch (OperationCanceledException) when (!call.BudgetExpired)
        {
            // The caller went away (or its deadline passed): grpc-dotnet reports that itself.
            throw;
        }
        catch (Exception e)
        {
            var error = RpcErrors.ToRpcException(call, e, _mysql.Endpoint);
            if (!(name == nameof(ReplicationStatus) && error.Status.Detail == RpcErrors.NotReplicaText))
            {
                _logger.RpcFailed(_record.AliasText, name, error.StatusCode, error.Status.Detail);
            }
            throw error;
        }
        finally
        {
            if (holdsLock)
            {
                _actionLock.Release();
            }
        }
    }

    /// <summary>Ends the calls in progress with UNAVAILABLE; new calls fail at once. Called when the agent stops.</summary>
    internal void CancelCalls() => _stopping.Cancel();

    /// <summary>Takes the action lock for work outside an RPC (start-up self-demotion).</summary>
    internal async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _actionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_actionLock);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
