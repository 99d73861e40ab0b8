using Grpc.Core;
using Status = Grpc.Core.Status;
using Replicationdata;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Replication;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// TabletManager for every <see cref="SimulatedTablet"/> of a <see cref="SimulatedFleet"/> (a LOAD GENERATOR): the
/// tablet is the one whose address the connection was made to. FullStatus and the RPCs repairs, emergency and planned
/// reparents call, with the effects our agent has (src/Vtorc.Agent/TabletManagerService.cs), including its topology
/// writes (ChangeType, PromoteReplica, InitPrimary, ReplicaWasPromoted/Restarted, SetReplicationSource of a primary),
/// but without MySQL: every step succeeds at once unless the tablet is dead (UNAVAILABLE) or hung (no answer until
/// the hang ends or the caller gives up).
/// </summary>
internal sealed class SimulatedTabletManager(SimulatedFleet fleet) : Tabletmanagerservice.TabletManager.TabletManagerBase
{
    private const string NotReplicaText = "no replication status (errno 100) (sqlstate HY000)";

    private static readonly TimeSpan PositionCheckInterval = TimeSpan.FromMilliseconds(20);

    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context)
    {
        Resolve(context, nameof(Ping));
        return Task.FromResult(new PingResponse { Payload = request.Payload });
    }

    public override Task<FullStatusResponse> FullStatus(FullStatusRequest request, ServerCallContext context)
    {
        var t = Resolve(context, nameof(FullStatus));
        fleet.PollAges.Polled(t.Index, context.GetHttpContext().Connection.Id);
        return Task.FromResult(new FullStatusResponse { Status = t.FullStatus(fleet.SemiSyncClients(t)) });
    }

    public override async Task<ReplicationStatusResponse> ReplicationStatus(ReplicationStatusRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(ReplicationStatus));
        return new ReplicationStatusResponse { Status = t.ReplicationStatus() ?? throw NotReplica() };
    }

    public override async Task<PrimaryStatusResponse> PrimaryStatus(PrimaryStatusRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(PrimaryStatus));
        return new PrimaryStatusResponse { Status = t.PrimaryStatus() };
    }

    public override async Task<PrimaryPositionResponse> PrimaryPosition(PrimaryPositionRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(PrimaryPosition));
        return new PrimaryPositionResponse { Position = t.Position() };
    }

    public override async Task<WaitForPositionResponse> WaitForPosition(WaitForPositionRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(WaitForPosition));
        await WaitForPositionAsync(t, request.Position, context);
        return new WaitForPositionResponse();
    }

    public override async Task<ReadReparentJournalInfoResponse> ReadReparentJournalInfo(ReadReparentJournalInfoRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(ReadReparentJournalInfo));
        return new ReadReparentJournalInfoResponse { Length = t.JournalRows };
    }

    public override async Task<GetGlobalStatusVarsResponse> GetGlobalStatusVars(GetGlobalStatusVarsRequest request, ServerCallContext context)
    {
        await EnterAsync(context, nameof(GetGlobalStatusVars));
        var response = new GetGlobalStatusVarsResponse();
        foreach (var name in request.Variables)
        {
            response.StatusValues[name] = "0";
        }
        return response;
    }

    public override async Task<StopReplicationResponse> StopReplication(StopReplicationRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(StopReplication));
        t.SetThreads(false, false);
        return new StopReplicationResponse();
    }

    public override async Task<StartReplicationResponse> StartReplication(StartReplicationRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(StartReplication));
        t.FixSemiSync(t.Type, request.SemiSync);
        t.SetThreads(true, true);
        return new StartReplicationResponse();
    }

    public override async Task<RestartReplicationResponse> RestartReplication(RestartReplicationRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(RestartReplication));
        t.FixSemiSync(t.Type, request.SemiSync);
        t.SetThreads(true, true);
        return new RestartReplicationResponse();
    }

    public override async Task<StopReplicationAndGetStatusResponse> StopReplicationAndGetStatus(StopReplicationAndGetStatusRequest request,
        ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(StopReplicationAndGetStatus));
        var before = t.ReplicationStatus() ?? throw NotReplica("before status failed: ");
        bool ioOnly = request.StopReplicationMode == StopReplicationMode.Iothreadonly;
        t.SetThreads(false, ioOnly ? null : false);
        var after = t.ReplicationStatus() ?? throw NotReplica("after status failed: ");
        return new StopReplicationAndGetStatusResponse { Status = new StopReplicationStatus { Before = before, After = after } };
    }

    public override async Task<SetReplicationSourceResponse> SetReplicationSource(SetReplicationSourceRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(SetReplicationSource));
        await RepointAsync(t, request.Parent, request.ForceStartReplication, request.SemiSync, context);
        if (request.WaitPosition.Length > 0)
        {
            await WaitForPositionAsync(t, request.WaitPosition, context);
        }
        return new SetReplicationSourceResponse();
    }

    public override async Task<InitReplicaResponse> InitReplica(InitReplicaRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(InitReplica));
        t.ForgetSource();
        await RepointAsync(t, request.Parent, forceStart: true, request.SemiSync, context);
        return new InitReplicaResponse();
    }

    public override async Task<ResetReplicationResponse> ResetReplication(ResetReplicationRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(ResetReplication));
        t.ForgetSource();
        return new ResetReplicationResponse();
    }

    public override async Task<ResetReplicationParametersResponse> ResetReplicationParameters(ResetReplicationParametersRequest request,
        ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(ResetReplicationParameters));
        t.ForgetSource();
        return new ResetReplicationParametersResponse();
    }

    public override async Task<StopReplicationMinimumResponse> StopReplicationMinimum(StopReplicationMinimumRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(StopReplicationMinimum));
        await WaitForPositionAsync(t, request.Position, context);
        t.SetThreads(false, false);
        return new StopReplicationMinimumResponse { Position = t.Position() };
    }

    /// <summary>The simulated SQL thread has always applied everything received: starting it is all there is to do.</summary>
    public override async Task<StartReplicationUntilAfterResponse> StartReplicationUntilAfter(StartReplicationUntilAfterRequest request,
        ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(StartReplicationUntilAfter));
        if (!t.IsReplicating)
        {
            throw NotReplica();
        }
        t.SetThreads(null, true);
        return new StartReplicationUntilAfterResponse();
    }

    public override async Task<PromoteReplicaResponse> PromoteReplica(PromoteReplicaRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(PromoteReplica));
        t.ForgetSource();
        var position = await BecomePrimaryAsync(t, request.SemiSync, context);
        return new PromoteReplicaResponse { Position = position };
    }

    public override async Task<InitPrimaryResponse> InitPrimary(InitPrimaryRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(InitPrimary));
        t.ForgetSource();
        var position = await BecomePrimaryAsync(t, request.SemiSync, context);
        return new InitPrimaryResponse { Position = position };
    }

    public override async Task<DemotePrimaryResponse> DemotePrimary(DemotePrimaryRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(DemotePrimary));
        t.SetReadOnly(true);
        t.FixSemiSync(TabletType.Replica, t.SemiSyncReplica);
        return new DemotePrimaryResponse { PrimaryStatus = t.PrimaryStatus() };
    }

    public override async Task<UndoDemotePrimaryResponse> UndoDemotePrimary(UndoDemotePrimaryRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(UndoDemotePrimary));
        t.FixSemiSync(TabletType.Primary, request.SemiSync);
        t.SetReadOnly(false);
        return new UndoDemotePrimaryResponse();
    }

    public override async Task<SetReadOnlyResponse> SetReadOnly(SetReadOnlyRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(SetReadOnly));
        t.SetReadOnly(true);
        return new SetReadOnlyResponse();
    }

    public override async Task<SetReadWriteResponse> SetReadWrite(SetReadWriteRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(SetReadWrite));
        t.SetReadOnly(false);
        return new SetReadWriteResponse();
    }

    public override async Task<ChangeTypeResponse> ChangeType(ChangeTypeRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(ChangeType));
        var type = request.TabletType;
        if (type is TabletType.Unknown or TabletType.Restore or TabletType.Backup || !Enum.IsDefined(type))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"ChangeType: cannot change this tablet's type to {type}"));
        }
        t.FixSemiSync(type, request.SemiSync);
        t.SetReadOnly(type != TabletType.Primary);
        await fleet.ChangeTypeInTopoAsync(t, type, context.CancellationToken);
        return new ChangeTypeResponse();
    }

    public override async Task<ReplicaWasPromotedResponse> ReplicaWasPromoted(ReplicaWasPromotedRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(ReplicaWasPromoted));
        await fleet.ChangeTypeInTopoAsync(t, TabletType.Primary, context.CancellationToken);
        return new ReplicaWasPromotedResponse();
    }

    public override async Task<ReplicaWasRestartedResponse> ReplicaWasRestarted(ReplicaWasRestartedRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(ReplicaWasRestarted));
        if (t.Type == TabletType.Primary)
        {
            await fleet.ChangeTypeInTopoAsync(t, TabletType.Replica, context.CancellationToken);
        }
        return new ReplicaWasRestartedResponse();
    }

    public override async Task<PopulateReparentJournalResponse> PopulateReparentJournal(PopulateReparentJournalRequest request, ServerCallContext context)
    {
        var t = await EnterAsync(context, nameof(PopulateReparentJournal));
        t.AddJournalRow();
        return new PopulateReparentJournalResponse();
    }

    public override async Task<RefreshStateResponse> RefreshState(RefreshStateRequest request, ServerCallContext context)
    {
        await EnterAsync(context, nameof(RefreshState));
        return new RefreshStateResponse();
    }

    // ---- shared steps ----

    /// <summary>Read-write, semi-sync as a primary, type PRIMARY with a new term in the topology; returns the position.</summary>
    private async Task<string> BecomePrimaryAsync(SimulatedTablet t, bool semiSync, ServerCallContext context)
    {
        t.FixSemiSync(TabletType.Primary, semiSync);
        t.SetReadOnly(false);
        var position = t.Position();
        await fleet.ChangeTypeInTopoAsync(t, TabletType.Primary, context.CancellationToken);
        fleet.Failovers.Promoted(t);
        return position;
    }

    /// <summary>SetReplicationSource's body (the agent's SetReplicationSourceLockedAsync without MySQL).</summary>
    private async Task RepointAsync(SimulatedTablet t, TabletAlias? parentAlias, bool forceStart, bool semiSync, ServerCallContext context)
    {
        var parent = fleet.ByAlias(parentAlias)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"SetReplicationSource: no parent tablet {parentAlias}"));
        bool wasPrimary = t.Type == TabletType.Primary;
        bool shouldReplicate = t.ReplicationRunning || forceStart || wasPrimary || !t.IsReplicating;
        var newType = wasPrimary ? TabletType.Replica : t.Type;
        t.SetReadOnly(true);
        t.FixSemiSync(newType, semiSync);
        t.SetSource(parent, shouldReplicate);
        if (wasPrimary)
        {
            await fleet.ChangeTypeInTopoAsync(t, newType, context.CancellationToken);
        }
        fleet.Failovers.Repointed(t, parent);
    }

    private static async Task WaitForPositionAsync(SimulatedTablet t, string positionText, ServerCallContext context)
    {
        var target = ReplicationPosition.Parse(positionText);
        if (target.IsEmpty || target.Flavor == PositionFlavor.FilePos)
        {
            // The simulated SQL thread applies everything it receives at once: a binlog-coordinate target is reached.
            return;
        }
        while (!ReplicationPosition.Parse(t.Position()).Contains(target))
        {
            try
            {
                await Task.Delay(PositionCheckInterval, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                    $"WaitForPosition: timed out waiting for position \"{positionText}\" (at \"{t.Position()}\")"));
            }
        }
    }

    /// <summary>The tablet the call was addressed to; UNAVAILABLE when it is dead (as a refused connection would be).</summary>
    private SimulatedTablet Resolve(ServerCallContext context, string method)
    {
        int index = FleetLayout.TabletOf(context.GetHttpContext().Connection.LocalIpAddress);
        if (index < 0 || index >= fleet.Tablets.Length)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"{method}: no simulated tablet at this address"));
        }
        var t = fleet.Tablets[index];
        if (t.Dead)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"{method}: tablet {t.AliasText} is down"));
        }
        fleet.Calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        return t;
    }

    /// <summary><see cref="Resolve"/>, then waits out a hang (the caller's deadline may end the call first).</summary>
    private async Task<SimulatedTablet> EnterAsync(ServerCallContext context, string method)
    {
        var t = Resolve(context, method);
        long wait = Interlocked.Read(ref t.HungUntil) - Environment.TickCount64;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait), context.CancellationToken);
            if (t.Dead)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"{method}: tablet {t.AliasText} is down"));
            }
        }
        return t;
    }

    private static RpcException NotReplica(string prefix = "") =>
        new(new Status(StatusCode.Unknown, prefix + NotReplicaText), $"{StatusCode.Unknown}: {prefix}{NotReplicaText}");
}
